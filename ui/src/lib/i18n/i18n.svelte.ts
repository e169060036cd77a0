// The i18n layer: every UI string goes through t(). Reading `lang` inside
// t() makes every template that calls it follow a language switch.
import { en, type Key } from "./en";
import { ko } from "./ko";
import { pluralOf } from "./plural";

export type Lang = "en" | "ko";
export const dictionaries: Record<Lang, Record<Key, string>> = { en, ko };

let lang = $state<Lang>("en");

export const i18n = {
  get lang(): Lang {
    return lang;
  },
  set lang(l: Lang) {
    lang = l;
    if (typeof document !== "undefined") document.documentElement.lang = l;
  },
};

/**
 * Fills `{name}` placeholders; an unknown placeholder stays visible.
 * `{name|one|other}` is the word that agrees with the number `name`, chosen
 * by the language's plural rules (Intl.PluralRules): "{n} {n|file|files}";
 * `#` in a form is the number: "{n|this image|these # images}".
 * Korean has one form and writes the word once.
 */
export function format(template: string, vars: Record<string, string | number> = {}, locale = "en"): string {
  return template
    .replace(/\{(\w+)\|([^|{}]*)\|([^{}]*)\}/g, (m, k: string, one: string, other: string) =>
      k in vars
        ? (pluralOf(Number(vars[k]), locale) === "one" ? one : other).replace(/#/g, String(vars[k]))
        : m,
    )
    .replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  return format(dictionaries[lang][key] ?? en[key], vars, lang);
}

export type { Key };
