import cliProgress from 'cli-progress';

/** A progress bar with ETA that also works without a TTY (CI logs: one line every 10 s). */
export default function progressBar(label: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% {value}/{total} ETA {eta_formatted} {info}`,
      hideCursor: true,
      etaBuffer: 50,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
}
