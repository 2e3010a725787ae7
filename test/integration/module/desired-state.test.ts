/**
 * -DesiredState on the module's cmdlets: Test-IisFtpsSetting reports drift, Set-IisFtpsSetting
 * applies, through ServerManager (the test double) and through the Node CLI (Pester suite
 * DesiredState.Tests.ps1 on copies of the example configuration).
 */
import { pesterSuite } from './run-pester.js';

pesterSuite({ title: 'PowerShell module: -DesiredState, drift and apply (real pwsh, Pester)', file: 'DesiredState.Tests.ps1', minimum: 22 });
