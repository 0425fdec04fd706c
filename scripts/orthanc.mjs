#!/usr/bin/env node
// Start/stop the local Orthanc + DICOMweb (loopback, storage in .orthanc/), for `npm start` and CI.
//   node scripts/orthanc.mjs start [--port 8042] [--storage .orthanc]
//   node scripts/orthanc.mjs stop  [--storage .orthanc]
// Same code as `npx landmarks pacs start|stop` (extension/src/node/orthanc/orthancProcess.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../extension/src/cli/main.ts');
const [command = 'start', ...rest] = process.argv.slice(2);
if (command !== 'start' && command !== 'stop') {
  process.stderr.write('usage: node scripts/orthanc.mjs start|stop [--port N] [--storage DIR]\n');
  process.exit(2);
}
await main([process.argv[0], 'landmarks', 'pacs', command, ...rest]);
