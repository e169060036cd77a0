// A reference field read as it is typed (I7): the Rust parser's answer, a
// moment after the last keystroke, the latest answer winning. Create it
// while a component initialises (it owns an effect).
import { backend, type Reference } from "./backend/backend";
import { shownError } from "./i18n/said";

export class TypedReference {
  text = $state("");
  ref = $state<Reference | null>(null);
  error = $state<string | null>(null);

  constructor(delayMs = 100) {
    $effect(() => {
      const text = this.text.trim();
      if (!text) {
        this.ref = null;
        this.error = null;
        return;
      }
      let stale = false;
      const timer = setTimeout(() => {
        backend
          .referenceParse(text)
          .then((r) => {
            if (stale) return;
            this.ref = r;
            this.error = null;
          })
          .catch((e: unknown) => {
            if (stale) return;
            this.ref = null;
            this.error = shownError(e);
          });
      }, delayMs);
      return () => {
        stale = true;
        clearTimeout(timer);
      };
    });
  }
}
