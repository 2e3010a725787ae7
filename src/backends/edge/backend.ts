import type { Backend, ChangeSet, CommitResult, RawSnapshot, ReadQuery } from '../../contract/index.js';
import { type BridgeResponse, bridgeResult } from '../bridge.js';
import { IisFtpsError } from '../../errors/errors.js';
import { type EdgeRuntime, loadBridge } from './runtime.js';

export interface EdgeBackendOptions {
  /** An applicationHost.config to open with `ServerManager(path)`; default: the live IIS configuration. */
  readonly configPath?: string;
  /** Path of Microsoft.Web.Administration.dll to load. Default: `IIS_FTPS_MWA_PATH`, else IIS's own, else the GAC. */
  readonly mwaPath?: string;
}

/** What `ping` reports: the .NET that runs the bridge, inside this process. */
export interface EdgeInfo {
  readonly runtime: EdgeRuntime;
  /** The runtime's version, e.g. `10.0.12` or Mono's display name. */
  readonly version: string;
  /** The process the bridge runs in: this Node process. */
  readonly pid: number;
}

/**
 * The live backend without a PowerShell process: C# in this Node process through edge-js, driving
 * Microsoft.Web.Administration.ServerManager (src/backends/edge/bridge.cs). The bridge is compiled
 * once per process and shared by every EdgeBackend.
 *
 * Requests cross as JSON text and answers come back the same way: no site name, value or path
 * ever becomes C# source.
 */
export class EdgeBackend implements Backend {
  readonly name = 'edge';
  private readonly options: EdgeBackendOptions;
  private queue: Promise<unknown> = Promise.resolve();
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

  /** Asks the bridge which .NET runs it (compiling it first if this is the first call). */
  async ping(): Promise<EdgeInfo> {
    return (await this.call('ping', {})) as EdgeInfo;
  }

  /** Nothing to release: the runtime stays loaded in the process for later backends. */
  async close(): Promise<void> {
    this.closed = true;
  }

  /** Calls run one at a time, in order. */
  private call(op: string, payload: Record<string, unknown>): Promise<unknown> {
    const run = this.queue.then(() => this.callNow(op, payload));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async callNow(op: string, payload: Record<string, unknown>): Promise<unknown> {
    if (this.closed) throw new IisFtpsError('SESSION_CLOSED', 'The edge backend was closed; open a new one');
    const { func } = loadBridge();
    const request = JSON.stringify({
      op,
      configPath: this.options.configPath ?? null,
      mwaPath: this.options.mwaPath ?? process.env['IIS_FTPS_MWA_PATH'] ?? null,
      ...payload,
    });
    const answer = await new Promise<unknown>((resolve, reject) => {
      try {
        func(request, (error, result) => (error ? reject(error) : resolve(result)));
      } catch (e) {
        reject(e);
      }
    }).catch((e: unknown) => {
      throw edgeFailure(e, op);
    });
    if (typeof answer !== 'string') throw new IisFtpsError('BACKEND_FAILED', `The edge bridge gave no answer text for ${op}`);
    return bridgeResult(JSON.parse(answer) as BridgeResponse, 'The edge bridge');
  }
}

/** An error edge-js itself raised (the bridge answers errors as data), with the .NET type it names. */
function edgeFailure(e: unknown, op: string): IisFtpsError {
  const err = e instanceof Error ? e : new Error(String(e));
  const dotnetType = /^[A-Z][\w]*(\.[A-Z][\w]*)+$/.test(err.name) ? err.name : undefined;
  return new IisFtpsError(
    'BACKEND_FAILED',
    `The edge bridge failed during ${op}: ${err.message}${dotnetType ? ` (${dotnetType})` : ''}`,
    dotnetType ? { dotnetType } : {},
    { cause: e },
  );
}

export function createEdgeBackend(options: EdgeBackendOptions = {}): EdgeBackend {
  return new EdgeBackend(options);
}
