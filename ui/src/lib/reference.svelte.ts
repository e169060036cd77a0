// A reference field read as it is typed (I7): the Rust parser's answer, a
// moment after the last keystroke, the latest answer winning. Create it
// while a component initialises (it owns an effect).
import { backend, type Reference } from "./backend/backend";
import { shownError } from "./i18n/said";

export class TypedReference {
  text = $state("");
  ref = $state<Reference | null>(null);
  error = $state<string | null>(null);
  /** The example (`exampleText`) as Docker reads it, shown while nothing typed
   *  has been read: the learner sees what a short name stands for, and the
   *  form does not jump when the first answer comes. */
  example = $state<Reference | null>(null);

  /** What the line under the field shows: the typed reference once read,
   *  the example until then, nothing while the text is refused. */
  get shown(): Reference | null {
    return this.ref ?? (this.error ? null : this.example);
  }

  /** `exampleText`: what the example reads (Build and Commit use it as the
   *  field's placeholder too). */
  constructor(
    readonly exampleText = "",
    delayMs = 100,
  ) {
    if (exampleText)
      backend
        .referenceParse(exampleText)
        .then((r) => (this.example = r))
        .catch(() => (this.example = null));
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
