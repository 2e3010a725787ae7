/**
 * Pester for the module suite: $IIS_FTPS_TEST_PESTER (a Pester.psd1), else Pester 5 from the
 * NuGet registry, fetched once with `dotnet restore` into .tmp/pester (the PowerShell Gallery is
 * not reachable from every machine; NuGet is).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../support/fixture.js';

export const PESTER_VERSION = '5.7.1';
const ROOT = join(REPO, '.tmp', 'pester');

export function findPester(): string {
  const given = process.env['IIS_FTPS_TEST_PESTER'];
  if (given) {
    if (!existsSync(given)) throw new Error(`IIS_FTPS_TEST_PESTER names ${given}, which does not exist`);
    return given;
  }
  const psd1 = join(ROOT, 'packages', 'pester', PESTER_VERSION, 'tools', 'Pester.psd1');
  if (existsSync(psd1)) return psd1;
  mkdirSync(ROOT, { recursive: true });
  writeFileSync(
    join(ROOT, 'pester.csproj'),
    `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>\n  <ItemGroup><PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" /></ItemGroup>\n</Project>\n`,
  );
  try {
    execFileSync('dotnet', ['restore', join(ROOT, 'pester.csproj'), '--packages', join(ROOT, 'packages'), '-nologo', '-v', 'quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`fetching Pester ${PESTER_VERSION} from NuGet failed (needs the .NET SDK): ${(err.stderr?.toString() || err.message).trim()}`);
  }
  if (!existsSync(psd1)) throw new Error(`dotnet restore did not leave ${psd1}`);
  return psd1;
}
