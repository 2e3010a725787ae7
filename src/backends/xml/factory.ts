import type { BackendFactory } from '../../contract/index.js';
import { IisFtpsError } from '../../errors/errors.js';

/**
 * The offline backend's factory: it runs anywhere, on the file named by `config`. The backend
 * itself is loaded when one is made, so listing the backends (help) loads none of them.
 */
export const xmlFactory: BackendFactory = {
  name: 'xml',
  description: 'offline: edits an applicationHost.config file (any OS); needs --config',
  async probe(options) {
    return options.config ? { ok: true } : { ok: false, reason: 'the offline backend needs --config FILE' };
  },
  async create(options) {
    if (!options.config) throw new IisFtpsError('USAGE', 'The xml backend edits a file: pass --config PATH (for example a copy of applicationHost.config)');
    const { XmlBackend } = await import('./index.js');
    return new XmlBackend({
      path: options.config,
      ...(options.backup === undefined ? {} : { backup: options.backup }),
      ...(options.lock === undefined ? {} : { lock: options.lock }),
    });
  },
};
