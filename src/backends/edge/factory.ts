import type { BackendFactory, BackendOptions, ProbeMode } from '../../contract/index.js';

/**
 * The edge backend's factory. The backend and its runtime (edge-js, the engine's source) are
 * loaded when they are probed for or made, so listing the backends (help) or choosing `auto` off
 * Windows loads none of them.
 */
export const edgeFactory: BackendFactory = {
  name: 'edge',
  description: 'live IIS through .NET in the Node process (edge-js) and Microsoft.Web.Administration (Windows; --config FILE opens that file instead)',
  async probe(_options: BackendOptions, mode?: ProbeMode) {
    if (mode === 'auto' && process.platform !== 'win32') {
      return { ok: false, reason: 'chosen automatically only on Windows with IIS; name it with --backend edge to use it here' };
    }
    const { isEdgeAvailable } = await import('./index.js');
    return isEdgeAvailable(mode);
  },
  async create(options: BackendOptions) {
    const { createEdgeBackend } = await import('./backend.js');
    return createEdgeBackend(options.config ? { configPath: options.config } : {});
  },
};
