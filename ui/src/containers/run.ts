// The Run dialog's form (C4) on the front end: an empty form, the
// "this machine only" toggle on a -p spec, and where a field's error goes.
// Checking and the docker run line are the Rust core's (run_check).
import type { RunForm, Said } from "../lib/backend/backend";
import { engineSaid, say } from "../lib/i18n/said";

export function emptyForm(image = ""): RunForm {
  return {
    image,
    name: "",
    command: "",
    interactive: false,
    ports: [],
    restart: "no",
    restartRetries: 0,
    network: "",
    binds: [],
    volumes: [],
    tmpfs: [],
    env: [],
    autoRemove: false,
    labels: [],
  };
}

const LOOPBACK = "127.0.0.1:";

/** Whether a -p spec is bound to 127.0.0.1 only. */
export function isLocalOnly(spec: string): boolean {
  return spec.trim().startsWith(LOOPBACK);
}

/**
 * Binds a -p spec to this machine only (127.0.0.1) or to every address.
 * `8080:80` <-> `127.0.0.1:8080:80`; `80` <-> `127.0.0.1::80`.
 */
export function setLocalOnly(spec: string, on: boolean): string {
  const s = spec.trim();
  if (on === isLocalOnly(s)) return s;
  if (!on) {
    const rest = s.slice(LOOPBACK.length);
    return rest.startsWith(":") ? rest.slice(1) : rest;
  }
  const [ports] = s.split("/");
  const parts = ports.split(":");
  if (parts.length >= 3) return LOOPBACK + parts.slice(1).join(":") + s.slice(ports.length);
  if (parts.length === 2) return LOOPBACK + s;
  return `${LOOPBACK}:${s}`;
}

/** The error for one field, from the core's list (`ports.1`, `env.0.key`). */
export function fieldError(
  errors: { field: string; message: string; said?: Said | null }[],
  field: string,
): string | null {
  const e = errors.find((e) => e.field === field);
  if (!e) return null;
  return e.said ? say(e.said) : engineSaid(e.message);
}
