import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";

export default ts.config(
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    // The UI reaches Tauri through ui/src/lib/backend only (house style).
    files: ["ui/src/**/*.{ts,svelte}"],
    ignores: ["ui/src/lib/backend/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@tauri-apps/*", "**/backend/bindings"] },
      ],
    },
  },
  { ignores: ["ui/dist/", "ui/src/lib/backend/bindings.ts", "target/", "node_modules/"] },
);
