/**
 * Keeps `npm start`'s Orthanc running: when the process ends without being asked to, it says so with
 * Orthanc's last log lines and starts it again on the same port and storage, so the same-origin
 * proxy (which forwards to that port) answers again without the viewer being restarted.
 */
import {
  startOrthanc,
  type OrthancExit,
  type OrthancHandle,
  type OrthancOptions,
} from '../extension/src/node/orthanc/orthancProcess.ts';

/** Options of {@link watchOrthanc}. */
export interface WatchOptions extends Omit<OrthancOptions, 'detached' | 'port'> {
  /** Port of the first start (default a free one); every restart uses the port it got. */
  port?: number;
  /** One line per event. */
  log?: (line: string) => void;
  /** Waits between restart attempts (default 0.5, 1, 2, 4, 8 s); after the last, it gives up. */
  retryDelaysMs?: number[];
}

/** A watched Orthanc: same URLs as {@link OrthancHandle}, whatever process serves them now. */
export interface WatchedOrthanc {
  url: string;
  dicomWebUrl: string;
  port: number;
  storageDir: string;
  headers: Record<string, string>;
  /** PID of the process serving now. */
  readonly pid: number;
  /** How many times it was restarted. */
  readonly restarts: number;
  /** Stops watching and stops the current process. */
  stop(): Promise<void>;
}

function describeExit(exit: OrthancExit): string {
  return exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
}

/** Starts Orthanc and restarts it on the same port whenever it dies; see the module comment. */
export async function watchOrthanc(options: WatchOptions = {}): Promise<WatchedOrthanc> {
  const { log = console.log, retryDelaysMs = [500, 1000, 2000, 4000, 8000], ...start } = options;
  let current: OrthancHandle = await startOrthanc(start);
  const port = current.port;
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;

  const restart = async (): Promise<void> => {
    for (const [attempt, delay] of retryDelaysMs.entries()) {
      if (stopping) return;
      try {
        current = await startOrthanc({ ...start, port });
        if (stopping) return; // stop() stops the new process too
        restarts += 1;
        log(
          `PACS: Orthanc restarted (PID ${current.pid}) at ${current.url}; the proxy uses it again`,
        );
        watch(current);
        return;
      } catch (error) {
        const first = (error as Error).message.split('\n')[0];
        log(`PACS: restart ${attempt + 1}/${retryDelaysMs.length} failed: ${first}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    if (!stopping) {
      log(
        `PACS: gave up restarting Orthanc (log: ${current.logPath}); the viewer stays up without ` +
          'its PACS. Stop npm start (Ctrl-C) and run it again.',
      );
    }
  };

  const watch = (handle: OrthancHandle): void => {
    void handle.exited.then((exit) => {
      if (stopping || handle !== current) return;
      log(
        `PACS: Orthanc (PID ${handle.pid}) ${describeExit(exit)}; last lines of ${handle.logPath}:`,
      );
      for (const line of handle.logTail(10)) log(`    ${line}`);
      log(`PACS: restarting Orthanc on port ${port} (same storage)`);
      restarting = restart();
    });
  };
  watch(current);

  return {
    url: current.url,
    dicomWebUrl: current.dicomWebUrl,
    port,
    storageDir: current.storageDir,
    headers: current.headers,
    get pid() {
      return current.pid;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
