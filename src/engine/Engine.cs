// iis-ftps edge bridge: reads and changes the FTP TLS client-certificate settings of IIS
// (<ssl>, <sslClientCertificates>, <authentication><clientCertAuthentication>, per site and in
// <siteDefaults>) through Microsoft.Web.Administration.ServerManager, inside the Node process.
//
// edge-js compiles this file once per process (on .NET Framework, Mono or CoreCLR) and calls
// Startup.Invoke with one JSON request; the answer is one JSON text. Nothing from a request ever
// becomes source code. It does what ps/IisFtps.Core.ps1 does for the PowerShell backend, with the
// same request and answer shapes (see src/backends/backend.ts):
//   request  { op: "read" | "commit" | "ping", configPath, mwaPath, query | changeSet }
//   answer   { ok: true, pid, result } or { ok: false, pid, error: { code, message, dotnetType, site? } }
// Raw values are what ServerManager returns: numbers for enums, flags and ids, booleans, strings,
// and TimeSpans as { "Ticks": n }. Only attributes set at a level are returned.
//
// Microsoft.Web.Administration is loaded at run time (from mwaPath, else %windir%\System32\inetsrv,
// else the GAC) and driven through reflection, so this file compiles without it.
//
// Written in C# 6 without dependencies: Mono's compiler, the .NET Framework's and Roslyn all take it.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace IisFtps.EdgeBridge
{
    /// <summary>The entry point edge-js calls: JSON text in, JSON text out, never throws.</summary>
    public class Startup
    {
        public Task<object> Invoke(object input)
        {
            string json = input as string;
            return Task.Run(() => (object)Bridge.Handle(json));
        }
    }

    /// <summary>An error carrying an iis-ftps error code (see src/errors/errors.ts).</summary>
    public class BridgeException : InvalidOperationException
    {
        public readonly string Code;
        public readonly string Site;

        public BridgeException(string code, string message, Exception inner = null, string site = null)
            : base(message, inner)
        {
            Code = code;
            Site = site;
        }
    }

    public static class Bridge
    {
        private const string MwaStrongName = "Microsoft.Web.Administration, Version=7.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);

        public static string Handle(string json)
        {
            JsonObject response = new JsonObject();
            try
            {
                if (json == null) throw new BridgeException("USAGE", "The bridge takes one JSON text.");
                Dictionary<string, object> request = Json.Parse(json) as Dictionary<string, object>;
                if (request == null) throw new BridgeException("USAGE", "A bridge request must be a JSON object.");
                string op = Str(request, "op");
                object result;
                if (op == "ping")
                {
                    result = Ping();
                }
                else
                {
                    Type serverManager = ServerManagerType(Str(request, "mwaPath"));
                    string configPath = Str(request, "configPath");
                    if (op == "read") result = Read(serverManager, Obj(request, "query"), configPath);
                    else if (op == "commit") result = Commit(serverManager, Obj(request, "changeSet"), configPath);
                    else throw new BridgeException("USAGE", "Unknown request '" + op + "'.");
                }
                response.Add("ok", true);
                response.Add("pid", ProcessId());
                response.Add("result", result);
            }
            catch (Exception e)
            {
                response = new JsonObject();
                response.Add("ok", false);
                response.Add("pid", ProcessId());
                response.Add("error", ErrorInfo(e));
            }
            return Json.Write(response);
        }

        // ---- errors ------------------------------------------------------------------------------

        /// <summary>The exception a call threw, without the reflection and task wrappers around it.</summary>
        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null && !(e is BridgeException) &&
                   (e is TargetInvocationException || e is AggregateException || e is TypeInitializationException))
            {
                e = e.InnerException;
            }
            return e;
        }

        /// <summary>{ code, message, dotnetType, site? }: the code an error carries, CONFLICT for the "changed on disk" refusal, else BACKEND_FAILED.</summary>
        public static JsonObject ErrorInfo(Exception error)
        {
            Exception e = Innermost(error);
            Exception cause = e;
            while (cause is BridgeException && cause.InnerException != null) cause = Innermost(cause.InnerException);
            JsonObject info = new JsonObject();
            string code = "BACKEND_FAILED";
            BridgeException bridge = e as BridgeException;
            if (bridge != null) code = bridge.Code;
            else if (e.Message.IndexOf("changed on disk", StringComparison.OrdinalIgnoreCase) >= 0) code = "CONFLICT";
            else if (e.GetType().FullName == "System.Xml.XmlException") code = e.Message.IndexOf("DTD", StringComparison.Ordinal) >= 0 || e.Message.IndexOf("DOCTYPE", StringComparison.Ordinal) >= 0 ? "XML_DTD" : "XML_MALFORMED";
            info.Add("code", code);
            info.Add("message", e.Message);
            info.Add("dotnetType", cause.GetType().FullName);
            if (bridge != null && bridge.Site != null) info.Add("site", bridge.Site);
            return info;
        }

        // ---- process and runtime -------------------------------------------------------------------

        private static int processId;

        /// <summary>This process's id: Environment.ProcessId on .NET 5 and later, else Process.GetCurrentProcess().Id (found by reflection, so no reference is needed).</summary>
        private static int ProcessId()
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

        /// <summary>Which .NET runs the bridge: { runtime: "mono" | "coreclr" | "netfx", version, pid }.</summary>
        private static JsonObject Ping()
        {
            JsonObject info = new JsonObject();
            Type mono = Type.GetType("Mono.Runtime");
            string runtime;
            string version;
            if (mono != null)
            {
                runtime = "mono";
                MethodInfo display = mono.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static);
                version = display != null ? Convert.ToString(display.Invoke(null, null), CultureInfo.InvariantCulture) : Environment.Version.ToString();
            }
            else
            {
                runtime = Environment.Version.Major >= 5 ? "coreclr" : "netfx";
                version = Environment.Version.ToString();
            }
            info.Add("runtime", runtime);
            info.Add("version", version);
            info.Add("pid", ProcessId());
            return info;
        }

        // ---- loading the assembly and opening the configuration ----------------------------------------

        /// <summary>
        /// ServerManager from Microsoft.Web.Administration: loaded from mwaPath when given, else from
        /// %windir%\System32\inetsrv, else from the GAC. BACKEND_UNAVAILABLE when none loads.
        /// </summary>
        private static Type ServerManagerType(string mwaPath)
        {
            lock (Gate)
            {
                if (!string.IsNullOrEmpty(mwaPath)) return FromFile(mwaPath, "IIS_FTPS_MWA_PATH names '" + mwaPath + "', which is not a file. Point it at Microsoft.Web.Administration.dll, or unset it to use IIS's own copy.");
                List<string> tried = new List<string>();
                string windir = Environment.GetEnvironmentVariable("windir");
                if (!string.IsNullOrEmpty(windir))
                {
                    string inetsrv = Path.Combine(Path.Combine(Path.Combine(windir, "System32"), "inetsrv"), "Microsoft.Web.Administration.dll");
                    tried.Add(inetsrv);
                    if (File.Exists(inetsrv)) return FromFile(inetsrv, null);
                }
                tried.Add("the GAC (" + MwaStrongName + ")");
                Assembly gac;
                if (!Loaded.TryGetValue("", out gac))
                {
                    try
                    {
                        gac = Assembly.Load(MwaStrongName);
                    }
                    catch (Exception)
                    {
                        gac = null;
                    }
                    if (gac != null) Loaded[""] = gac;
                }
                Type t = gac != null ? gac.GetType("Microsoft.Web.Administration.ServerManager", false) : null;
                if (t != null) return t;
                throw new BridgeException("BACKEND_UNAVAILABLE", "IIS's Microsoft.Web.Administration.dll is not on this machine (looked in " + string.Join(", ", tried.ToArray()) + "). Install IIS with the FTP Server role service and its management tools (Install-WindowsFeature Web-Server, Web-Ftp-Server, Web-Mgmt-Tools), or set IIS_FTPS_MWA_PATH to the path of Microsoft.Web.Administration.dll; to edit a copy of applicationHost.config without IIS, use the offline backend (--backend xml --config FILE).");
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
                throw new BridgeException("BACKEND_UNAVAILABLE", "Microsoft.Web.Administration could not be loaded from '" + path + "': " + e.Message, e);
            }
            if (!File.Exists(full)) throw new BridgeException("BACKEND_UNAVAILABLE", missing ?? ("'" + path + "' is not a file."));
            Assembly assembly;
            if (!Loaded.TryGetValue(full, out assembly))
            {
                try
                {
                    assembly = Assembly.LoadFrom(full);
                }
                catch (Exception e)
                {
                    Exception inner = Innermost(e);
                    throw new BridgeException("BACKEND_UNAVAILABLE", "Microsoft.Web.Administration could not be loaded from '" + path + "': " + inner.Message, inner);
                }
                Loaded[full] = assembly;
            }
            Type t = assembly.GetType("Microsoft.Web.Administration.ServerManager", false);
            if (t == null) throw new BridgeException("BACKEND_UNAVAILABLE", "'" + path + "' is not Microsoft.Web.Administration: it has no Microsoft.Web.Administration.ServerManager.");
            return t;
        }

        /// <summary>The applicationHost.config a ServerManager works on: configPath in full, else the live one.</summary>
        private static string ConfigFile(string configPath)
        {
            if (!string.IsNullOrEmpty(configPath)) return Path.GetFullPath(configPath);
            string windir = Environment.GetEnvironmentVariable("windir");
            if (string.IsNullOrEmpty(windir)) throw new BridgeException("BACKEND_UNAVAILABLE", "There is no live IIS configuration here (not Windows). Pass a configuration file path.");
            return Path.Combine(Path.Combine(Path.Combine(Path.Combine(windir, "System32"), "inetsrv"), "config"), "applicationHost.config");
        }

        /// <summary>The version token of a file: the SHA-256 of its bytes, lower-case hex (as the offline backend).</summary>
        private static string FileVersion(string path)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e)
            {
                throw new BridgeException("FILE_READ", path + " cannot be read: " + e.Message, e);
            }
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(bytes);
                StringBuilder sb = new StringBuilder(hash.Length * 2);
                foreach (byte b in hash) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                return sb.ToString();
            }
        }

        private static IDisposable Open(Type serverManager, string configPath)
        {
            object sm = string.IsNullOrEmpty(configPath)
                ? New(serverManager)
                : New(serverManager, ConfigFile(configPath));
            return (IDisposable)sm;
        }

        private static object SitesSection(object sm)
        {
            object config = Call(sm, "GetApplicationHostConfiguration");
            return Call(config, "GetSection", "system.applicationHost/sites");
        }

        // ---- sites and elements ---------------------------------------------------------------------

        private static List<object> SiteList(object section)
        {
            List<object> list = new List<object>();
            foreach (object site in (IEnumerable)Call(section, "GetCollection")) list.Add(site);
            return list;
        }

        private static object SiteId(object site)
        {
            object attr = Call(site, "GetAttribute", "id");
            if ((bool)Get(attr, "IsInheritedFromDefaultValue")) return null;
            return Convert.ToInt64(Get(attr, "Value"), CultureInfo.InvariantCulture);
        }

        private static string SiteName(object site)
        {
            return Convert.ToString(Call(site, "GetAttributeValue", "name"), CultureInfo.InvariantCulture);
        }

        /// <summary>The site a reference names: name (case-insensitive, ordinal) with id also checked when given, or id alone.</summary>
        private static object FindSite(List<object> sites, object reference)
        {
            Dictionary<string, object> r = reference as Dictionary<string, object>;
            if (r == null) throw new BridgeException("USAGE", "A site reference must be an object with a name or an id.");
            object nameValue = Field(r, "name");
            object idValue = Field(r, "id");
            if (nameValue != null && !(nameValue is string)) throw new BridgeException("USAGE", "A site name must be a string.");
            string name = nameValue as string;
            long? id = idValue == null ? (long?)null : Convert.ToInt64(idValue, CultureInfo.InvariantCulture);
            foreach (object site in sites)
            {
                if (name != null)
                {
                    if (!string.Equals(SiteName(site), name, StringComparison.OrdinalIgnoreCase)) continue;
                    if (id.HasValue && !Equals(SiteId(site), id.Value)) continue;
                    return site;
                }
                if (id.HasValue && Equals(SiteId(site), id.Value)) return site;
            }
            List<string> shown = new List<string>();
            foreach (object site in sites)
            {
                object siteId = SiteId(site);
                shown.Add("\"" + SiteName(site) + "\" (id " + (siteId == null ? "?" : Convert.ToString(siteId, CultureInfo.InvariantCulture)) + ")");
            }
            if (shown.Count > 12)
            {
                int more = shown.Count - 12;
                shown = shown.GetRange(0, 12);
                shown.Add("and " + more + " more");
            }
            string what = name != null ? "named \"" + name + "\"" : "with id " + id;
            string siteText = name ?? Convert.ToString(id, CultureInfo.InvariantCulture);
            string listText = shown.Count > 0 ? "Sites in the configuration: " + string.Join(", ", shown.ToArray()) : "The configuration has no sites";
            throw new BridgeException("SITE_NOT_FOUND", "No site " + what + ". " + listText, null, siteText);
        }

        private static object Element(object owner, List<object> path)
        {
            object el = owner;
            foreach (object name in path) el = Call(el, "GetChildElement", (string)name);
            return el;
        }

        /// <summary>A ServerManager value as plain data: TimeSpan -> { Ticks }, enums and integers -> numbers.</summary>
        private static object RawValue(object value)
        {
            if (value == null || value is string || value is bool) return value;
            if (value is TimeSpan)
            {
                JsonObject ts = new JsonObject();
                ts.Add("Ticks", ((TimeSpan)value).Ticks);
                return ts;
            }
            if (value is Enum) return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            if (value is int || value is long || value is uint || value is ulong || value is short || value is ushort || value is byte || value is sbyte) return value;
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        private static JsonObject SetAttributes(object element)
        {
            JsonObject set = new JsonObject();
            foreach (object attr in (IEnumerable)Get(element, "Attributes"))
            {
                if ((bool)Get(attr, "IsInheritedFromDefaultValue")) continue;
                set.Add((string)Get(attr, "Name"), RawValue(Get(attr, "Value")));
            }
            return set;
        }

        private static JsonObject RawElements(object owner, List<object> elements)
        {
            JsonObject result = new JsonObject();
            foreach (object e in elements)
            {
                Dictionary<string, object> d = (Dictionary<string, object>)e;
                result.Add(Str(d, "element"), SetAttributes(Element(owner, List(d, "path"))));
            }
            return result;
        }

        private static List<object> Protocols(object site)
        {
            List<object> list = new List<object>();
            foreach (object binding in (IEnumerable)Call(site, "GetCollection", "bindings"))
            {
                object p = Call(binding, "GetAttribute", "protocol");
                if (!(bool)Get(p, "IsInheritedFromDefaultValue")) list.Add(Convert.ToString(Get(p, "Value"), CultureInfo.InvariantCulture).ToLowerInvariant());
            }
            return list;
        }

        // ---- read -----------------------------------------------------------------------------------

        /// <summary>
        /// Reads the query's elements of siteDefaults and of the asked sites (or all sites). The
        /// version is the hash of the file as read (taken before and after loading; retried if it changed).
        /// </summary>
        private static JsonObject Read(Type serverManager, Dictionary<string, object> query, string configPath)
        {
            if (query == null) throw new BridgeException("USAGE", "A read request needs a query.");
            string file = ConfigFile(configPath);
            List<object> elements = List(query, "elements");
            for (int attempt = 1; ; attempt++)
            {
                string before = FileVersion(file);
                JsonObject snapshot = new JsonObject();
                using (IDisposable sm = Open(serverManager, configPath))
                {
                    object section = SitesSection(sm);
                    List<object> all = SiteList(section);
                    List<object> picked;
                    if (Field(query, "allSites") is bool && (bool)Field(query, "allSites"))
                    {
                        picked = all;
                    }
                    else
                    {
                        picked = new List<object>();
                        foreach (object reference in List(query, "sites")) picked.Add(FindSite(all, reference));
                    }
                    List<object> sites = new List<object>();
                    foreach (object site in picked)
                    {
                        JsonObject s = new JsonObject();
                        s.Add("name", SiteName(site));
                        s.Add("id", SiteId(site));
                        s.Add("protocols", Protocols(site));
                        s.Add("elements", RawElements(site, elements));
                        sites.Add(s);
                    }
                    snapshot.Add("version", null);
                    snapshot.Add("siteDefaults", RawElements(Call(section, "GetChildElement", "siteDefaults"), elements));
                    snapshot.Add("sites", sites);
                }
                string after = FileVersion(file);
                if (before == after)
                {
                    snapshot.Set("version", after);
                    return snapshot;
                }
                if (attempt >= 3) throw new BridgeException("CONFLICT", file + " kept changing while it was read; try again.");
            }
        }

        // ---- commit ---------------------------------------------------------------------------------

        /// <summary>A change's value as the .NET type ServerManager takes: Int32 for enum and flags, TimeSpan, Boolean, String.</summary>
        private static object TypedValue(Dictionary<string, object> change)
        {
            string type = Str(change, "type");
            object value = Field(change, "value");
            object number = Field(change, "number");
            if (!(value is string)) throw new BridgeException("INVALID_VALUE", "The value for '" + Str(change, "attribute") + "' must be text, not " + (value == null ? "null" : value.GetType().FullName) + ".");
            string text = (string)value;
            switch (type)
            {
                case "enum":
                case "flags":
                    if (number == null) return text;
                    return Convert.ToInt32(number, CultureInfo.InvariantCulture);
                case "timeSpan":
                    return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
                case "bool":
                    return bool.Parse(text);
                case "string":
                    return text;
                default:
                    throw new BridgeException("INVALID_VALUE", "Unknown value type '" + type + "'.");
            }
        }

        /// <summary>Applies one change to an element: sets the typed value, or deletes the attribute for a null value.</summary>
        private static void SetAttribute(object element, Dictionary<string, object> change)
        {
            string name = Str(change, "attribute");
            List<string> path = new List<string>();
            foreach (object p in List(change, "path")) path.Add(Convert.ToString(p, CultureInfo.InvariantCulture));
            string where = string.Join("/", path.ToArray()) + "/@" + name;
            try
            {
                if (Field(change, "value") == null) Call(Call(element, "GetAttribute", name), "Delete");
                else Call(element, "SetAttributeValue", name, TypedValue(change));
            }
            catch (Exception e)
            {
                Exception inner = Innermost(e);
                if (inner is BridgeException) throw inner;
                if (inner is FormatException || inner is ArgumentException || inner is OverflowException || inner is InvalidCastException)
                {
                    throw new BridgeException("INVALID_VALUE", where + " cannot be set to '" + Field(change, "value") + "': " + inner.Message, inner);
                }
                ExceptionDispatchInfo.Capture(inner).Throw();
                throw;
            }
        }

        /// <summary>
        /// Applies a change set through one ServerManager and commits it once: every change reaches the
        /// file, or none does. CONFLICT when the file is no longer the version read.
        /// </summary>
        private static JsonObject Commit(Type serverManager, Dictionary<string, object> changeSet, string configPath)
        {
            if (changeSet == null) throw new BridgeException("USAGE", "A commit request needs a change set.");
            string file = ConfigFile(configPath);
            List<object> changes = List(changeSet, "changes");
            string expected = Convert.ToString(Field(changeSet, "version"), CultureInfo.InvariantCulture);
            string version;
            JsonObject result = new JsonObject();
            using (IDisposable sm = Open(serverManager, configPath))
            {
                object section = SitesSection(sm);
                version = FileVersion(file);
                if (version != expected) throw new BridgeException("CONFLICT", file + " changed on disk after it was read; nothing was written. Read it again and repeat the change.");
                if (changes.Count == 0)
                {
                    result.Add("written", false);
                    result.Add("version", version);
                    return result;
                }
                List<object> all = SiteList(section);
                foreach (object c in changes)
                {
                    Dictionary<string, object> change = c as Dictionary<string, object>;
                    if (change == null) throw new BridgeException("USAGE", "A change must be an object.");
                    object owner;
                    if (Str(change, "level") == "siteDefaults")
                    {
                        owner = Call(section, "GetChildElement", "siteDefaults");
                    }
                    else
                    {
                        object reference = Field(change, "site");
                        if (reference == null) throw new BridgeException("USAGE", "A site-level change names no site.");
                        owner = FindSite(all, reference);
                    }
                    SetAttribute(Element(owner, List(change, "path")), change);
                }
                Call(sm, "CommitChanges");
            }
            string after = FileVersion(file);
            result.Add("written", after != version);
            result.Add("version", after);
            return result;
        }

        // ---- reflection -----------------------------------------------------------------------------

        private static object New(Type type, params object[] args)
        {
            try
            {
                return Activator.CreateInstance(type, args);
            }
            catch (TargetInvocationException e)
            {
                ExceptionDispatchInfo.Capture(Innermost(e)).Throw();
                throw;
            }
        }

        /// <summary>Calls the public instance method of that name whose parameters take the arguments.</summary>
        private static object Call(object target, string name, params object[] args)
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
                    ExceptionDispatchInfo.Capture(Innermost(e)).Throw();
                    throw;
                }
            }
            throw new MissingMethodException(type.FullName, name);
        }

        private static object Get(object target, string name)
        {
            PropertyInfo p = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (p == null) throw new MissingMemberException(target.GetType().FullName, name);
            try
            {
                return p.GetValue(target, null);
            }
            catch (TargetInvocationException e)
            {
                ExceptionDispatchInfo.Capture(Innermost(e)).Throw();
                throw;
            }
        }

        // ---- request fields -------------------------------------------------------------------------

        private static object Field(Dictionary<string, object> d, string name)
        {
            object v;
            return d != null && d.TryGetValue(name, out v) ? v : null;
        }

        private static string Str(Dictionary<string, object> d, string name)
        {
            object v = Field(d, name);
            return v == null ? null : Convert.ToString(v, CultureInfo.InvariantCulture);
        }

        private static Dictionary<string, object> Obj(Dictionary<string, object> d, string name)
        {
            return Field(d, name) as Dictionary<string, object>;
        }

        private static List<object> List(Dictionary<string, object> d, string name)
        {
            return Field(d, name) as List<object> ?? new List<object>();
        }
    }

    /// <summary>A JSON object that keeps its keys in the order they were added.</summary>
    public class JsonObject : IEnumerable<KeyValuePair<string, object>>
    {
        private readonly List<KeyValuePair<string, object>> items = new List<KeyValuePair<string, object>>();

        public void Add(string key, object value)
        {
            items.Add(new KeyValuePair<string, object>(key, value));
        }

        public void Set(string key, object value)
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (items[i].Key == key)
                {
                    items[i] = new KeyValuePair<string, object>(key, value);
                    return;
                }
            }
            Add(key, value);
        }

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            return items.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator()
        {
            return items.GetEnumerator();
        }
    }

    /// <summary>
    /// Just enough JSON: objects become Dictionary&lt;string, object&gt;, arrays List&lt;object&gt;,
    /// integers long (else double), and the writer escapes everything outside printable ASCII.
    /// </summary>
    public static class Json
    {
        public static object Parse(string text)
        {
            int i = 0;
            object value = ParseValue(text, ref i);
            SkipSpace(text, ref i);
            if (i != text.Length) throw Bad(text, i, "end of text");
            return value;
        }

        private static Exception Bad(string text, int i, string expected)
        {
            return new BridgeException("USAGE", "The bridge request is not valid JSON: expected " + expected + " at offset " + i + ".");
        }

        private static void SkipSpace(string s, ref int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        }

        private static object ParseValue(string s, ref int i)
        {
            SkipSpace(s, ref i);
            if (i >= s.Length) throw Bad(s, i, "a value");
            char c = s[i];
            if (c == '{')
            {
                Dictionary<string, object> obj = new Dictionary<string, object>(StringComparer.Ordinal);
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == '}')
                {
                    i++;
                    return obj;
                }
                while (true)
                {
                    SkipSpace(s, ref i);
                    if (i >= s.Length || s[i] != '"') throw Bad(s, i, "a key");
                    string key = ParseString(s, ref i);
                    SkipSpace(s, ref i);
                    if (i >= s.Length || s[i] != ':') throw Bad(s, i, "':'");
                    i++;
                    obj[key] = ParseValue(s, ref i);
                    SkipSpace(s, ref i);
                    if (i < s.Length && s[i] == ',')
                    {
                        i++;
                        continue;
                    }
                    if (i < s.Length && s[i] == '}')
                    {
                        i++;
                        return obj;
                    }
                    throw Bad(s, i, "',' or '}'");
                }
            }
            if (c == '[')
            {
                List<object> list = new List<object>();
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == ']')
                {
                    i++;
                    return list;
                }
                while (true)
                {
                    list.Add(ParseValue(s, ref i));
                    SkipSpace(s, ref i);
                    if (i < s.Length && s[i] == ',')
                    {
                        i++;
                        continue;
                    }
                    if (i < s.Length && s[i] == ']')
                    {
                        i++;
                        return list;
                    }
                    throw Bad(s, i, "',' or ']'");
                }
            }
            if (c == '"') return ParseString(s, ref i);
            if (string.CompareOrdinal(s, i, "true", 0, 4) == 0)
            {
                i += 4;
                return true;
            }
            if (string.CompareOrdinal(s, i, "false", 0, 5) == 0)
            {
                i += 5;
                return false;
            }
            if (string.CompareOrdinal(s, i, "null", 0, 4) == 0)
            {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
            if (start == i) throw Bad(s, i, "a value");
            string number = s.Substring(start, i - start);
            long l;
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l)) return l;
            double d;
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
            throw Bad(s, start, "a number");
        }

        private static string ParseString(string s, ref int i)
        {
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < s.Length)
            {
                char c = s[i++];
                if (c == '"') return sb.ToString();
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                if (i >= s.Length) break;
                char e = s[i++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (i + 4 > s.Length) throw Bad(s, i, "four hex digits");
                        sb.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: throw Bad(s, i - 1, "an escape");
                }
            }
            throw Bad(s, i, "'\"'");
        }

        public static string Write(object value)
        {
            StringBuilder sb = new StringBuilder();
            WriteValue(sb, value);
            return sb.ToString();
        }

        private static void WriteValue(StringBuilder sb, object value)
        {
            if (value == null)
            {
                sb.Append("null");
            }
            else if (value is string)
            {
                WriteString(sb, (string)value);
            }
            else if (value is bool)
            {
                sb.Append((bool)value ? "true" : "false");
            }
            else if (value is JsonObject)
            {
                sb.Append('{');
                bool first = true;
                foreach (KeyValuePair<string, object> kv in (JsonObject)value)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, kv.Key);
                    sb.Append(':');
                    WriteValue(sb, kv.Value);
                }
                sb.Append('}');
            }
            else if (value is double || value is float)
            {
                sb.Append(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
            }
            else if (value is int || value is long || value is uint || value is ulong || value is short || value is ushort || value is byte || value is sbyte || value is decimal)
            {
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
            else if (value is IEnumerable)
            {
                sb.Append('[');
                bool first = true;
                foreach (object item in (IEnumerable)value)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteValue(sb, item);
                }
                sb.Append(']');
            }
            else
            {
                WriteString(sb, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        private static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                if (c == '"') sb.Append("\\\"");
                else if (c == '\\') sb.Append("\\\\");
                else if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            sb.Append('"');
        }
    }
}
