import type { Backend, CertificateInfo, ChangeSet, CommitResult, RawSnapshot, ReadQuery } from '../../contract/index.js';
import { type BridgeResponse, CallQueue, bridgeResult, engineRequest } from '../bridge.js';
import { IisFtpsError } from '../../errors/errors.js';
import { type EdgeRuntime, loadBridge } from './runtime.js';

export interface EdgeBackendOptions {
  /** An applicationHost.config to open with `ServerManager(path)`; default: the live IIS configuration. */
  readonly configPath?: string;
  /** Path of Microsoft.Web.Administration.dll to load. Default: `IIS_FTPS_MWA_PATH`, else IIS's own, else the GAC. */
  readonly mwaPath?: string;
}

/** What `ping` reports: the .NET that runs the engine, inside this process. */
export interface EdgeInfo {
  readonly runtime: EdgeRuntime;
  /** The runtime's version, e.g. `10.0.12` or Mono's display name. */
  readonly version: string;
  /** The process the bridge runs in: this Node process. */
  readonly pid: number;
}

/**
 * The live backend without a PowerShell process: the C# engine (src/engine/) in this Node process
 * through edge-js, driving Microsoft.Web.Administration.ServerManager. The engine is compiled
 * once per process and shared by every EdgeBackend.
 *
 * Requests cross as JSON text and answers come back the same way: no site name, value or path
 * ever becomes C# source.
 */
export class EdgeBackend implements Backend {
  readonly name = 'edge';
  private readonly options: EdgeBackendOptions;
  private readonly queue = new CallQueue();
  private closed = false;

  constructor(options: EdgeBackendOptions = {}) {
    this.options = options;
  }

  async read(query: ReadQuery): Promise<RawSnapshot> {
    return (await this.call('read', { query })) as RawSnapshot;
  }

  async commit(changes: ChangeSet): Promise<CommitResult> {
    return (await this.call('commit', { changeSet: changes })) as CommitResult;
  }

  /**
   * The certificate with that thumbprint in LocalMachine\`storeName`, or (no store given) in
   * `My`, then `WebHosting`; null when it is in none. IIS_FTPS_CERT_STORE_DIR replaces the
   * machine's stores with a folder (a test seam, see docs/backend-edge.md).
   */
  async findCertificate(thumbprint: string, storeName?: string): Promise<CertificateInfo | null> {
    return (await this.call('findCertificate', { thumbprint, storeName: storeName ?? null, certStoreDir: process.env['IIS_FTPS_CERT_STORE_DIR'] || null })) as CertificateInfo | null;
  }

  /** Asks the engine which .NET runs it (compiling it first if this is the first call). */
  async ping(): Promise<EdgeInfo> {
    return (await this.call('ping', {})) as EdgeInfo;
  }

  /** Nothing to release: the runtime stays loaded in the process for later backends. */
  async close(): Promise<void> {
    this.closed = true;
  }

  /** Calls run one at a time, in order. */
  private call(op: string, payload: Record<string, unknown>): Promise<unknown> {
    return this.queue.run(() => this.callNow(op, payload));
  }

  private async callNow(op: string, payload: Record<string, unknown>): Promise<unknown> {
    if (this.closed) throw new IisFtpsError('SESSION_CLOSED', 'The edge backend was closed; open a new one');
    const { func } = loadBridge();
    const request = JSON.stringify(engineRequest(op, this.options, payload));
    const answer = await new Promise<unknown>((resolve, reject) => {
      try {
        func(request, (error, result) => (error ? reject(error) : resolve(result)));
      } catch (e) {
        reject(e);
      }
    }).catch((e: unknown) => {
      throw edgeFailure(e, op);
    });
    if (typeof answer !== 'string') throw new IisFtpsError('BACKEND_FAILED', `The edge engine gave no answer text for ${op}`);
    return bridgeResult(JSON.parse(answer) as BridgeResponse, 'The edge engine');
  }
}

/** An error edge-js itself raised (the engine answers errors as data), with the .NET type it names. */
function edgeFailure(e: unknown, op: string): IisFtpsError {
  const err = e instanceof Error ? e : new Error(String(e));
  const dotnetType = /^[A-Z][\w]*(\.[A-Z][\w]*)+$/.test(err.name) ? err.name : undefined;
  return new IisFtpsError(
    'BACKEND_FAILED',
    `The edge engine failed during ${op}: ${err.message}${dotnetType ? ` (${dotnetType})` : ''}`,
    dotnetType ? { dotnetType } : {},
    { cause: e },
  );
}

export function createEdgeBackend(options: EdgeBackendOptions = {}): EdgeBackend {
  return new EdgeBackend(options);
}
