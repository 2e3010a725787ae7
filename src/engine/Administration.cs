// Loading Microsoft.Web.Administration and calling it through reflection, so the engine compiles
// without the assembly (which exists only on a Windows machine with IIS's management tools).

namespace IisFtps.Engine
{
    using System;
    using System.Collections.Generic;
    using System.IO;
    using System.Reflection;
    using System.Runtime.ExceptionServices;

    public static class Administration
    {
        private const string StrongName = "Microsoft.Web.Administration, Version=7.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";
        private const string Install = "Install IIS with the FTP Server role service and its management tools (Install-WindowsFeature Web-Server, Web-Ftp-Server, Web-Mgmt-Tools), or set IIS_FTPS_MWA_PATH to the path of Microsoft.Web.Administration.dll; to edit a copy of applicationHost.config without IIS, use the offline backend (--backend xml --config FILE).";
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);

        /// <summary>
        /// ServerManager from Microsoft.Web.Administration: loaded from mwaPath when given, else from
        /// %windir%\System32\inetsrv, else (on the .NET Framework and Mono, which have one) from the
        /// GAC. BACKEND_UNAVAILABLE, saying where it looked, when none loads.
        /// </summary>
        public static Type ServerManagerType(string mwaPath)
        {
            lock (Gate)
            {
                if (!string.IsNullOrEmpty(mwaPath)) return FromFile(mwaPath, "IIS_FTPS_MWA_PATH names '" + mwaPath + "', which is not a file. Point it at Microsoft.Web.Administration.dll, or unset it to use IIS's own copy.");
                string windir = Environment.GetEnvironmentVariable("windir");
                string inetsrv = null;
                if (!string.IsNullOrEmpty(windir))
                {
                    inetsrv = Path.Combine(Path.Combine(Path.Combine(windir, "System32"), "inetsrv"), "Microsoft.Web.Administration.dll");
                    if (File.Exists(inetsrv)) return FromFile(inetsrv, null);
                }
                string looked = inetsrv == null ? "there is no %windir% here, so no IIS" : "looked in " + inetsrv;
                if (!Runtime.HasGac)
                {
                    // PowerShell 7 and edge-js on CoreCLR: there is no GAC to fall back on.
                    throw new EngineException("BACKEND_UNAVAILABLE", "IIS's Microsoft.Web.Administration.dll is not on this machine (" + looked + "; this .NET (CoreCLR, as in PowerShell 7) has no GAC to look in). " + Install);
                }
                Assembly gac;
                if (!Loaded.TryGetValue("", out gac))
                {
                    try
                    {
                        gac = Assembly.Load(StrongName);
                    }
                    catch (Exception)
                    {
                        gac = null;
                    }
                    if (gac != null) Loaded[""] = gac;
                }
                Type t = gac != null ? gac.GetType("Microsoft.Web.Administration.ServerManager", false) : null;
                if (t != null) return t;
                throw new EngineException("BACKEND_UNAVAILABLE", "IIS's Microsoft.Web.Administration.dll is not on this machine (" + looked + ", then the GAC for " + StrongName + "). " + Install);
            }
        }

        private static Type FromFile(string path, string missing)
        {
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception e)
            {
                throw new EngineException("BACKEND_UNAVAILABLE", "Microsoft.Web.Administration could not be loaded from '" + path + "': " + e.Message, e);
            }
            if (!File.Exists(full)) throw new EngineException("BACKEND_UNAVAILABLE", missing ?? ("'" + path + "' is not a file."));
            Assembly assembly;
            if (!Loaded.TryGetValue(full, out assembly))
            {
                try
                {
                    assembly = Assembly.LoadFrom(full);
                }
                catch (Exception e)
                {
                    Exception inner = Errors.Innermost(e);
                    throw new EngineException("BACKEND_UNAVAILABLE", "Microsoft.Web.Administration could not be loaded from '" + path + "': " + inner.Message, inner);
                }
                Loaded[full] = assembly;
            }
            Type t = assembly.GetType("Microsoft.Web.Administration.ServerManager", false);
            if (t == null) throw new EngineException("BACKEND_UNAVAILABLE", "'" + path + "' is not Microsoft.Web.Administration: it has no Microsoft.Web.Administration.ServerManager.");
            return t;
        }

        /// <summary>A ServerManager on configPath (ServerManager(path)), or on the live configuration when there is none.</summary>
        public static IDisposable Open(Type serverManager, string configPath)
        {
            object sm = string.IsNullOrEmpty(configPath)
                ? Reflect.New(serverManager)
                : Reflect.New(serverManager, Path.GetFullPath(configPath));
            return (IDisposable)sm;
        }

        /// <summary>The system.applicationHost/sites section of a ServerManager's applicationHost configuration.</summary>
        public static object SitesSection(object sm)
        {
            object config = Reflect.Call(sm, "GetApplicationHostConfiguration");
            return Reflect.Call(config, "GetSection", "system.applicationHost/sites");
        }
    }

    /// <summary>Late-bound calls, with the exception the callee threw rethrown as it was.</summary>
    public static class Reflect
    {
        public static object New(Type type, params object[] args)
        {
            try
            {
                return Activator.CreateInstance(type, args);
            }
            catch (TargetInvocationException e)
            {
                ExceptionDispatchInfo.Capture(Errors.Innermost(e)).Throw();
                throw;
            }
        }

        /// <summary>Calls the public instance method of that name whose parameters take the arguments.</summary>
        public static object Call(object target, string name, params object[] args)
        {
            Type type = target.GetType();
            foreach (MethodInfo m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (m.Name != name) continue;
                ParameterInfo[] ps = m.GetParameters();
                if (ps.Length != args.Length) continue;
                bool fits = true;
                for (int i = 0; i < ps.Length && fits; i++)
                {
                    fits = args[i] == null ? !ps[i].ParameterType.IsValueType : ps[i].ParameterType.IsInstanceOfType(args[i]);
                }
                if (!fits) continue;
                try
                {
                    return m.Invoke(target, args);
                }
                catch (TargetInvocationException e)
                {
                    ExceptionDispatchInfo.Capture(Errors.Innermost(e)).Throw();
                    throw;
                }
            }
            throw new MissingMethodException(type.FullName, name);
        }

        public static object Get(object target, string name)
        {
            PropertyInfo p = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (p == null) throw new MissingMemberException(target.GetType().FullName, name);
            try
            {
                return p.GetValue(target, null);
            }
            catch (TargetInvocationException e)
            {
                ExceptionDispatchInfo.Capture(Errors.Innermost(e)).Throw();
                throw;
            }
        }
    }
}
