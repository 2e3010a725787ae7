/**
 * The engine compiles as Windows PowerShell 5.1's Add-Type compiles it: C# 5, against the .NET
 * Framework 4.7.2 reference assemblies and only System, System.Core and System.Xml
 * (test/engine/Engine.CSharp5.csproj). Windows PowerShell cannot run here, so the .NET SDK stands
 * in for its compiler; the probes prove the check refuses C# 6 and APIs the .NET Framework lacks.
 * Needs the .NET SDK and the Microsoft.NETFramework.ReferenceAssemblies.net472 package from NuGet.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineDir } from '../../../src/engine/source.js';
import { REPO, tempDir } from '../../support/fixture.js';
import { suiteRuntime } from '../../support/runtime.js';

const PROJECT = join(REPO, 'test', 'engine', 'Engine.CSharp5.csproj');

/** Builds the project in a folder of its own with these sources; returns the exit status and the compiler's errors. */
function build(sources: string): { status: number | null; errors: string[] } {
  const dir = tempDir();
  copyFileSync(PROJECT, join(dir, 'Engine.CSharp5.csproj'));
  const r = spawnSync('dotnet', ['build', join(dir, 'Engine.CSharp5.csproj'), '-nologo', '-v', 'q', `-p:EngineSources=${sources}`, '-o', join(dir, 'out')], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
  });
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  return { status: r.status, errors: [...new Set(text.split('\n').filter((l) => /error [A-Z]+\d+/.test(l)).map((l) => l.trim()))] };
}

const dotnet = suiteRuntime('the .NET SDK', () => {
  const r = spawnSync('dotnet', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('the .NET SDK (dotnet) is not installed');
  return r.stdout.trim();
});

describe('the engine compiles as C# 5 against the .NET Framework (Windows PowerShell 5.1 Add-Type)', function () {
  this.timeout(900_000);

  before(function () {
    dotnet(this);
  });

  it('src/engine/*.cs builds at LangVersion 5 against net472 with System, System.Core and System.Xml only', () => {
    const r = build(join(engineDir(), '*.cs'));
    assert.deepEqual(r.errors, []);
    assert.equal(r.status, 0);
  });

  it('refuses C# 6 and later: interpolation, ?., expression-bodied members, nameof', () => {
    const probe = join(tempDir(), 'Probe.cs');
    writeFileSync(
      probe,
      [
        'namespace Probe {',
        '  public class A {',
        '    public string B(object o) { return $"{o}" + o?.ToString(); }',
        '    public int C => 1;',
        '    public string D() { return nameof(D); }',
        '  }',
        '}',
      ].join('\n'),
    );
    const r = build(probe);
    assert.notEqual(r.status, 0);
    for (const feature of ['interpolated strings', 'null propagat', 'expression-bodied', 'nameof']) {
      assert.ok(r.errors.some((e) => e.includes(feature)), `no error for ${feature}: ${r.errors.join('\n')}`);
    }
  });

  it('refuses APIs the .NET Framework does not have (Environment.ProcessId is .NET 5 and later)', () => {
    const probe = join(tempDir(), 'Probe.cs');
    writeFileSync(probe, 'namespace Probe { public class A { public int B() { return System.Environment.ProcessId; } } }\n');
    const r = build(probe);
    assert.notEqual(r.status, 0);
    assert.ok(r.errors.some((e) => /CS0117/.test(e) && e.includes('ProcessId')), r.errors.join('\n'));
  });
});
