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
