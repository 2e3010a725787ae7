// iis-ftps engine: the one implementation that talks to Microsoft.Web.Administration.ServerManager.
//
// It reads and changes the FTP TLS client-certificate settings of IIS (<ssl>, <sslClientCertificates>,
// <authentication><clientCertAuthentication>, per site and in <siteDefaults>), and looks up
// certificates in the machine's stores. Every live path runs this code, compiled where it runs:
//   - the edge backend: edge-js compiles it inside the Node process (src/backends/edge/runtime.ts)
//     and calls EdgeStartup.Invoke;
//   - the PowerShell backend and the PowerShell module's live path: ps/IisFtps.Core.ps1 compiles it
//     with Add-Type (once per engine version, cached per user) and calls Engine.Handle.
//
// One request in, one answer out, both JSON text (see src/contract/backend.ts for the shapes):
//   request  { op: "read" | "commit" | "findCertificate" | "ping", configPath, mwaPath,
//              query | changeSet | thumbprint, storeName, certStoreDir }
//   answer   { ok: true, pid, result } or { ok: false, pid, error: { code, message, dotnetType, site?, line?, column? } }
// Nothing from a request ever becomes source code.
//
// Written in C# 5 without dependencies (Windows PowerShell 5.1's Add-Type compiles C# 5; edge-js
// compiles with Mono's compiler, the .NET Framework's or Roslyn): no string interpolation, no `?.`,
// no expression-bodied members, no nameof, no `using static`. test/unit/engine-csharp5.test.ts
// compiles it at LangVersion 5 against the .NET Framework 4.7.2 reference assemblies. The files of
// this folder are compiled together as one text (sorted by name), so each keeps its `using`
// directives inside its namespace block.
//
// Microsoft.Web.Administration is loaded at run time (Administration.cs) and driven through
// reflection, so the engine compiles without it.

namespace IisFtps.Engine
{
    using System;
    using System.Collections.Generic;
    using System.Globalization;
    using System.Reflection;
    using System.Threading.Tasks;

    /// <summary>The entry point edge-js calls: JSON text in, JSON text out, never throws.</summary>
    public class EdgeStartup
    {
        public Task<object> Invoke(object input)
        {
            string json = input as string;
            return Task.Run(() => (object)Engine.Handle(json));
        }
    }

    public static class Engine
    {
        /// <summary>Runs one request (JSON text) and returns the answer (JSON text). Never throws.</summary>
        public static string Handle(string json)
        {
            JsonObject response = new JsonObject();
            try
            {
                if (json == null) throw new EngineException("USAGE", "The engine takes one JSON text.");
                Dictionary<string, object> request = Json.Parse(json) as Dictionary<string, object>;
                if (request == null) throw new EngineException("USAGE", "An engine request must be a JSON object.");
                object result = Run(request);
                response.Add("ok", true);
                response.Add("pid", ProcessId());
                response.Add("result", result);
            }
            catch (Exception e)
            {
                response = new JsonObject();
                response.Add("ok", false);
                response.Add("pid", ProcessId());
                response.Add("error", Errors.Info(e));
            }
            return Json.Write(response);
        }

        private static object Run(Dictionary<string, object> request)
        {
            string op = Fields.Str(request, "op");
            string configPath = Fields.Str(request, "configPath");
            switch (op)
            {
                case "ping":
                    return Ping();
                case "findCertificate":
                    return Certificates.Find(Fields.Str(request, "thumbprint"), Fields.Str(request, "storeName"), Fields.Str(request, "certStoreDir"));
                case "read":
                    return Sites.Read(Administration.ServerManagerType(Fields.Str(request, "mwaPath")), Fields.Obj(request, "query"), configPath);
                case "commit":
                    return Sites.Commit(Administration.ServerManagerType(Fields.Str(request, "mwaPath")), Fields.Obj(request, "changeSet"), configPath);
                default:
                    throw new EngineException("USAGE", "Unknown request '" + op + "'; the engine knows read, commit, findCertificate and ping.");
            }
        }

        private static int processId;

        /// <summary>This process's id: Environment.ProcessId on .NET 5 and later, else Process.GetCurrentProcess().Id (found by reflection, so no reference is needed).</summary>
        public static int ProcessId()
        {
            if (processId != 0) return processId;
            PropertyInfo modern = typeof(Environment).GetProperty("ProcessId", BindingFlags.Public | BindingFlags.Static);
            if (modern != null)
            {
                processId = (int)modern.GetValue(null, null);
            }
            else
            {
                Type process = Type.GetType("System.Diagnostics.Process, System", true);
                object current = process.GetMethod("GetCurrentProcess", Type.EmptyTypes).Invoke(null, null);
                processId = (int)process.GetProperty("Id").GetValue(current, null);
                ((IDisposable)current).Dispose();
            }
            return processId;
        }

        /// <summary>Which .NET runs the engine: { runtime: "mono" | "coreclr" | "netfx", version, pid }.</summary>
        private static JsonObject Ping()
        {
            JsonObject info = new JsonObject();
            Type mono = Type.GetType("Mono.Runtime");
            string version;
            if (mono != null)
            {
                MethodInfo display = mono.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static);
                version = display != null ? Convert.ToString(display.Invoke(null, null), CultureInfo.InvariantCulture) : Environment.Version.ToString();
            }
            else
            {
                version = Environment.Version.ToString();
            }
            info.Add("runtime", Runtime.Name);
            info.Add("version", version);
            info.Add("pid", ProcessId());
            return info;
        }
    }

    /// <summary>Which .NET runtime hosts the engine.</summary>
    public static class Runtime
    {
        /// <summary>"mono", "coreclr" (.NET Core and .NET 5 and later: PowerShell 7, edge-js on CoreCLR) or "netfx" (.NET Framework: Windows PowerShell 5.1).</summary>
        public static string Name
        {
            get
            {
                if (Type.GetType("Mono.Runtime") != null) return "mono";
                return typeof(object).Assembly.GetName().Name == "System.Private.CoreLib" ? "coreclr" : "netfx";
            }
        }

        /// <summary>Whether the runtime has a global assembly cache (the .NET Framework and Mono do; CoreCLR has none).</summary>
        public static bool HasGac
        {
            get { return Name != "coreclr"; }
        }
    }

    /// <summary>Fields of a parsed JSON request.</summary>
    public static class Fields
    {
        public static object Get(Dictionary<string, object> d, string name)
        {
            object v;
            return d != null && d.TryGetValue(name, out v) ? v : null;
        }

        public static string Str(Dictionary<string, object> d, string name)
        {
            object v = Get(d, name);
            return v == null ? null : Convert.ToString(v, CultureInfo.InvariantCulture);
        }

        public static Dictionary<string, object> Obj(Dictionary<string, object> d, string name)
        {
            return Get(d, name) as Dictionary<string, object>;
        }

        public static List<object> List(Dictionary<string, object> d, string name)
        {
            return Get(d, name) as List<object> ?? new List<object>();
        }

        public static List<string> Strings(Dictionary<string, object> d, string name)
        {
            List<string> list = new List<string>();
            foreach (object o in List(d, name)) list.Add(Convert.ToString(o, CultureInfo.InvariantCulture));
            return list;
        }
    }
}
