/**
 * Conformance: one corpus of values (test/corpus/values.ts) through the TypeScript codecs
 * (validateValue, what the CLI and the API run) and through the PowerShell module's validation
 * (its generic routine, and Set-IisFtpsSetting itself on the ServerManager path), in a real pwsh.
 * Any disagreement fails: accepted by one and refused by the other, a different canonical value,
 * or a different INVALID_VALUE message. The doctor is compared the same way, on many levels'
 * settings. The same holds for the module's Node CLI path by construction (it runs the CLI).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { diagnose } from '../../../src/doctor/rules.js';
import { findSetting, settings } from '../../../src/schema/index.js';
import { validateValue } from '../../../src/schema/validate.js';
import type { EffectiveSettings } from '../../../src/session/session.js';
import { type ConformanceValue, conformanceValues } from '../../corpus/values.js';
import { REPO, copyFixture, readBytes, tempDir } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);
const MANIFEST = join(REPO, 'Manifest.psd1');

type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

function typescript(c: ConformanceValue): Outcome {
  const r = validateValue(findSetting(c.setting)!, c.value);
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.error.message };
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 160 ? `${s.slice(0, 160)}... (${s.length} characters)` : s;
};

/** A value with every text as { "~s": its UTF-16 code units in hex }, so lone surrogates survive PowerShell's ConvertFrom-Json. */
function transport(v: unknown): unknown {
  if (typeof v === 'string') return { '~s': Array.from({ length: v.length }, (_, i) => v.charCodeAt(i).toString(16).padStart(4, '0')).join('') };
  if (Array.isArray(v)) return v.map(transport);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, transport(x)]));
  return v;
}

/** The disagreements between two lists of outcomes of the same cases. */
function disagreements(cases: readonly { setting: string; value: unknown }[], ts: readonly Outcome[], ps: readonly Outcome[], what: string): string[] {
  const out: string[] = [];
  cases.forEach((c, i) => {
    const a = ts[i]!;
    const b = ps[i];
    if (!b) out.push(`${c.setting} ${show(c.value)}: no result from ${what}`);
    else if (a.ok !== b.ok) out.push(`${c.setting} ${show(c.value)}: TypeScript ${a.ok ? `accepts it as ${show(a.value)}` : 'refuses it'}, ${what} ${b.ok ? `accepts it as ${show(b.value)}` : `refuses it: ${b.message}`}`);
    else if (a.ok && b.ok && JSON.stringify(a.value) !== JSON.stringify(b.value)) out.push(`${c.setting} ${show(c.value)}: canonical value ${show(a.value)} in TypeScript, ${show(b.value)} in ${what}`);
    else if (!a.ok && !b.ok && a.message !== b.message) out.push(`${c.setting} ${show(c.value)}: messages differ\n      TypeScript: ${show(a.message)}\n      ${what}: ${show(b.message)}`);
  });
  return out;
}

describe('Conformance: the TypeScript codecs and the PowerShell module agree on every value (real pwsh)', function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;
  const corpus = conformanceValues();

  before(function () {
    if (USE_REAL_IIS) this.skip();
    rt = bridgeRuntime(this);
  });

  /** Runs a script in pwsh with the module imported; $env:IN names the input JSON, $env:OUT where to write the result. */
  async function pwsh(body: string, input: unknown, env: Record<string, string> = {}): Promise<unknown> {
    const dir = tempDir();
    const script = join(dir, 'case.ps1');
    const inPath = join(dir, 'in.json');
    const outPath = join(dir, 'out.json');
    writeFileSync(inPath, JSON.stringify(transport(input)));
    writeFileSync(
      script,
      `$ErrorActionPreference = 'Stop'
Import-Module '${MANIFEST.replace(/'/g, "''")}'
$module = Get-Module Manifest
function Restore($v) {
    # Texts travel as UTF-16 code units in hex: ConvertFrom-Json would turn lone surrogates into U+FFFD.
    if ($v -is [System.Management.Automation.PSCustomObject]) {
        $names = @($v.PSObject.Properties.Name)
        if ($names.Count -eq 1 -and $names[0] -eq '~s') {
            $hex = [string]$v.'~s'
            $sb = New-Object System.Text.StringBuilder
            for ($i = 0; $i -lt $hex.Length; $i += 4) { [void]$sb.Append([char][Convert]::ToInt32($hex.Substring($i, 4), 16)) }
            return , $sb.ToString()
        }
        $o = [ordered]@{}
        foreach ($p in $v.PSObject.Properties) { $o[$p.Name] = Restore $p.Value }
        return , ([pscustomobject]$o)
    }
    if ($v -is [System.Array]) { return , [object[]]@(foreach ($item in $v) { , (Restore $item) }) }
    return , $v
}
$cases = Restore (& $module { ConvertFrom-IisFtpsJson -Json ([System.IO.File]::ReadAllText($env:IN, [System.Text.Encoding]::UTF8)) })
${body}
[System.IO.File]::WriteAllText($env:OUT, (& $module { param($r) ConvertTo-IisFtpsJson $r } $results), [System.Text.Encoding]::ASCII)
`,
    );
    await run(rt.exe.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', script], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb', IN: inPath, OUT: outPath, ...env },
      timeout: 540_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(readFileSync(outPath, 'utf8'));
  }

  it(`the corpus covers every setting with valid and invalid values (${corpus.length} cases)`, () => {
    for (const s of settings) {
      const mine = corpus.filter((c) => c.setting === s.name).map(typescript);
      assert.ok(mine.filter((r) => r.ok).length >= 3, `${s.name}: valid values`);
      assert.ok(mine.filter((r) => !r.ok).length >= 30, `${s.name}: invalid values`);
    }
  });

  it("the module's validation routine accepts and refuses exactly what the TypeScript codecs do, with the same canonical values and messages", async () => {
    const ts = corpus.map(typescript);
    const ps = (await pwsh(
      `$results = New-Object System.Collections.ArrayList
foreach ($c in $cases) {
    $r = & $module {
        param($c)
        $def = Get-IisFtpsSettingDef -Name $c.setting
        try { [ordered]@{ ok = $true; value = (ConvertTo-IisFtpsCanonicalValue -Def $def -InputObject $c.value) } }
        catch { [ordered]@{ ok = $false; message = $_.Exception.Message } }
    } $c
    [void]$results.Add($r)
}`,
      corpus,
    )) as Outcome[];
    const bad = disagreements(corpus, ts, ps, 'the module');
    assert.deepEqual(bad, [], `${bad.length} disagreements:\n  ${bad.slice(0, 40).join('\n  ')}`);
  });

  it('Set-IisFtpsSetting (ServerManager path) takes a text parameter exactly when the CLI takes the text, and words the refusal alike', async () => {
    // Text values for the parameters typed [string], [string[]] or [object]; [bool] parameters bind only booleans.
    const cases = corpus.filter((c) => typeof c.value === 'string' && findSetting(c.setting)!.def.format !== 'bool');
    const missing = join(tempDir(), 'missing.config');
    const ts = cases.map((c): Outcome => {
      const r = typescript(c);
      // An accepted value goes on to read the file, which is missing.
      return r.ok ? { ok: false, message: 'FILE_READ' } : r;
    });
    const ps = (await pwsh(
      `$results = New-Object System.Collections.ArrayList
foreach ($c in $cases) {
    $parameter = (& $module { param($n) (Get-IisFtpsSettingDef -Name $n).parameter } $c.setting)
    $splat = @{ SiteName = 'Partner Exchange'; ConfigPath = $env:MISSING; ErrorAction = 'Stop'; $parameter = $c.value }
    try { Set-IisFtpsSetting @splat; [void]$results.Add([ordered]@{ ok = $true; value = $null }) }
    catch {
        $code = $_.FullyQualifiedErrorId.Split(',')[0]
        if ($code -eq 'INVALID_VALUE') { [void]$results.Add([ordered]@{ ok = $false; message = $_.Exception.Message }) }
        else { [void]$results.Add([ordered]@{ ok = $false; message = $code }) }
    }
}`,
      cases,
      { MISSING: missing, IIS_FTPS_MWA_PATH: rt.mwaPath! },
    )) as Outcome[];
    const bad = disagreements(cases, ts, ps, 'Set-IisFtpsSetting');
    assert.deepEqual(bad, [], `${bad.length} disagreements:\n  ${bad.slice(0, 40).join('\n  ')}`);
  });

  it('refuses -ServerCertStoreName "a`u{1}b" on a file through ServerManager, as the CLI does, and writes nothing', async () => {
    const config = copyFixture();
    const before = readBytes(config);
    const out = (await pwsh(
      `$results = [ordered]@{}
try { Set-IisFtpsSetting -ConfigPath $env:CFG -SiteName 'Partner Exchange' -ServerCertStoreName "a\`u{1}b" -ErrorAction Stop; $results.written = $true }
catch { $results.id = $_.FullyQualifiedErrorId; $results.message = $_.Exception.Message }
$results.kind = & $module { Get-IisFtpsBackendKind -ConfigPath $env:CFG }`,
      null,
      { CFG: config, IIS_FTPS_MWA_PATH: rt.mwaPath! },
    )) as Record<string, string>;
    assert.equal(out['kind'], 'ServerManager');
    assert.equal(out['written'], undefined);
    assert.equal(out['id'], 'INVALID_VALUE,Set-IisFtpsSetting');
    const cli = typescript({ setting: 'serverCertStoreName', value: 'a\u0001b' });
    assert.ok(!cli.ok);
    assert.equal(out['message'], cli.message);
    assert.match(out['message']!, /U\+0001, which an XML file cannot hold/);
    assert.deepEqual(readBytes(config), before);
  });

  it("the module's doctor finds what the CLI's doctor finds, with the same messages, on every combination tried", async () => {
    const levels = doctorLevels();
    const ts = levels.map((s) => diagnose(s));
    const ps = (await pwsh(
      `$results = New-Object System.Collections.ArrayList
foreach ($level in $cases) {
    $s = [ordered]@{}
    foreach ($el in $level.PSObject.Properties) {
        $s[$el.Name] = [ordered]@{}
        foreach ($a in $el.Value.PSObject.Properties) { $s[$el.Name][$a.Name] = $a.Value }
    }
    [void]$results.Add(@(& $module { param($s) Get-IisFtpsDoctorFinding -Settings $s } $s))
}`,
      levels,
    )) as unknown[][];
    const bad: string[] = [];
    levels.forEach((s, i) => {
      if (JSON.stringify(ts[i]) !== JSON.stringify(ps[i] ?? [])) bad.push(`${JSON.stringify(s)}\n      CLI: ${JSON.stringify(ts[i])}\n      module: ${JSON.stringify(ps[i])}`);
    });
    assert.ok(ts.some((f) => f.length > 2), 'some levels break several rules');
    assert.deepEqual(bad, [], `${bad.length} disagreements:\n  ${bad.slice(0, 10).join('\n  ')}`);
  });
});

/** Effective settings of many levels: every value each rule looks at, a stored value that cannot be read, every source. */
function doctorLevels(): EffectiveSettings[] {
  const choices: Record<string, unknown[]> = {
    clientCertificatePolicy: ['CertIgnore', 'CertAllow', 'CertRequire', null],
    validationFlags: [[], ['NoRevocationCheck'], ['NoRevocationCheck', 'CertNoUsageCheck'], ['CertNoUsageCheck'], null],
    useActiveDirectoryMapping: [true, false, null],
    controlChannelPolicy: ['SslAllow', 'SslRequire', 'SslRequireCredentialsOnly'],
    dataChannelPolicy: ['SslAllow', 'SslRequire', 'SslDeny'],
    serverCertHash: [null, '', '57686f6120447564652c2049495320526f636b73'],
    clientCertAuthentication: [true, false, null],
  };
  const sources = ['site', 'siteDefaults', 'default'];
  let seed = 14;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const out: EffectiveSettings[] = [];
  for (let i = 0; i < 400; i++) {
    const level: Record<string, Record<string, unknown>> = {};
    for (const s of settings) {
      const options = choices[s.name] ?? [s.def.default];
      const value = options[next(options.length)];
      const entry: Record<string, unknown> = { value, source: sources[next(3)] };
      if (value === null && next(2) === 0) entry['problem'] = `stored value is invalid: "x${i}" is not accepted`;
      (level[s.element] ??= {})[s.attribute] = entry;
    }
    out.push(level as unknown as EffectiveSettings);
  }
  return out;
}
