// Coalesces bursts of engine events into one reload: `docker run` alone
// emits create, attach, start... within milliseconds. A reload that is
// already running is followed by exactly one more if events came meanwhile,
// so the last state always wins and lists are never reloaded in parallel.
export function debouncedReload(reload: () => Promise<void>, waitMs = 120) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;

  async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await reload();
    } finally {
      running = false;
      if (again) {
        again = false;
        void run();
      }
    }
  }

  return {
    /** Schedules a reload after `waitMs` of quiet. */
    poke() {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, waitMs);
    },
    /** Reloads now (first load, manual refresh). */
    now: run,
  };
}

/** Opens a stream for an `$effect` and gives its cleanup, which stops the
 *  stream even while it is still being opened (the effect re-ran or the
 *  view went first). `failed` gets an error opening it. */
export function followed(open: () => Promise<(() => void) | null>, failed: (e: unknown) => void): () => void {
  let stop: (() => void) | null = null;
  let gone = false;
  open()
    .then((s) => {
      if (gone) s?.();
      else stop = s;
    })
    .catch(failed);
  return () => {
    gone = true;
    stop?.();
  };
}
