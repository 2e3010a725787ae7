import type { Availability, ProbeMode } from '../../contract/index.js';
import { administrationAssemblyAvailability } from '../bridge.js';
import { isIisFtpsError } from '../../errors/errors.js';
import { loadBridge } from './runtime.js';

export { EdgeBackend, createEdgeBackend } from './backend.js';
export type { EdgeBackendOptions, EdgeInfo } from './backend.js';
export { edgeJsDir, edgeReadiness, loadBridge } from './runtime.js';
export type { EdgeRuntime } from './runtime.js';

/**
 * Whether the edge backend can run here: Microsoft.Web.Administration.dll at IIS_FTPS_MWA_PATH or
 * in IIS's folder, and edge-js installed, built, loaded and the bridge compiled (in this process,
 * where the backend would run anyway). For `auto` only on Windows: elsewhere there is no IIS, and
 * the edge backend runs (against a stand-in of the assembly) only when named.
 */
export function isEdgeAvailable(mode: ProbeMode = 'explicit'): Availability {
  if (mode === 'auto' && process.platform !== 'win32') {
    return { ok: false, reason: 'chosen automatically only on Windows with IIS; name it with --backend edge to use it here' };
  }
  const mwa = administrationAssemblyAvailability();
  if (!mwa.ok) return mwa;
  try {
    loadBridge();
  } catch (e) {
    return { ok: false, reason: isIisFtpsError(e) ? e.message : String(e) };
  }
  return { ok: true };
}

export { edgeFactory } from './factory.js';
