/**
 * The class-based DSC resource IisFtpsSetting (module/IisFtps.psm1): its Pester suite creates
 * instances and calls Get(), Test() and Set() on copies of the example configuration, through
 * ServerManager (the test double) and through the Node CLI. Invoke-DscResource needs the
 * PSDesiredStateConfiguration module, which these machines cannot get; the methods are what it calls.
 */
import { pesterSuite } from './run-pester.js';

pesterSuite({ title: 'PowerShell module: the DSC resource IisFtpsSetting (real pwsh, Pester)', file: 'IisFtpsSetting.Tests.ps1', minimum: 20 });
