/**
 * The 3D case of {@link verifyTrainingBackend}: throws when the active backend's 3D loss or gradient
 * norm differs from the cpu backend's (WebGPU's mis-compiled rank-5 broadcasts return zeros silently);
 * leaves the active backend as it found it.
 */
import verifyTrainingBackend from './verifyTrainingBackend.ts';

export default async function verifyVolumeBackend(): Promise<void> {
  await verifyTrainingBackend(3);
}
