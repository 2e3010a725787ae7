// Reading the settings of siteDefaults and sites through ServerManager, and committing a change
// set: the only place in iis-ftps that calls ServerManager.CommitChanges().
//
// Read: values come from ServerManager, typed as it types them (enums and flags Int32, time
// spans TimeSpan, booleans Boolean, the site id Int64); whether an attribute is set at a level
// comes from the file (ConfigFile.cs explains why ServerManager cannot tell).
// Commit: each change walks site -> ftpServer -> security -> element with GetChildElement (as
// Microsoft's samples for FTP over SSL do), sets the value as the .NET type the attribute's schema
// type casts to, or Delete()s the attribute, and CommitChanges() runs once for the whole set.

namespace IisFtps.Engine
{
    using System;
    using System.Collections;
    using System.Collections.Generic;
    using System.Globalization;
    using System.Runtime.ExceptionServices;

    public static class Sites
    {
        private const string FtpNotInstalled = "The FTP Server role service (Web-Ftp-Server) is not installed: IIS's configuration schema has no ftpServer element. Install it (Install-WindowsFeature Web-Ftp-Server, or Enable-WindowsOptionalFeature -Online -FeatureName IIS-FTPServer), then run again.";

        /// <summary>
        /// Reads the query's elements of siteDefaults and of the asked sites (or all sites). The
        /// version is the hash of the file as read (taken before and after loading; retried if it changed).
        /// </summary>
        public static JsonObject Read(Type serverManager, Dictionary<string, object> query, string configPath)
        {
            if (query == null) throw new EngineException("USAGE", "A read request needs a query.");
            ConfigFile file = ConfigFile.Locate(configPath);
            List<ElementQuery> elements = ElementQuery.From(Fields.List(query, "elements"));
            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    FileState before = file.Load(elements);
                    JsonObject snapshot = new JsonObject();
                    using (IDisposable sm = Administration.Open(serverManager, configPath))
                    {
                        object section = Administration.SitesSection(sm);
                        List<object> all = SiteList(section);
                        List<object> picked;
                        object allSites = Fields.Get(query, "allSites");
                        if (allSites is bool && (bool)allSites)
                        {
                            picked = all;
                        }
                        else
                        {
                            picked = new List<object>();
                            foreach (object reference in Fields.List(query, "sites")) picked.Add(FindSite(all, reference));
                        }
                        List<object> sites = new List<object>();
                        foreach (object site in picked)
                        {
                            string name = SiteName(site);
                            JsonObject s = new JsonObject();
                            s.Add("name", name);
                            s.Add("id", SiteId(site));
                            s.Add("protocols", Protocols(site));
                            s.Add("elements", RawElements(site, elements, before.Sources.Site(name)));
                            sites.Add(s);
                        }
                        snapshot.Add("version", null);
                        snapshot.Add("siteDefaults", RawElements(Reflect.Call(section, "GetChildElement", "siteDefaults"), elements, before.Sources.SiteDefaults));
                        snapshot.Add("sites", sites);
                    }
                    string after = file.Version();
                    if (before.Version == after)
                    {
                        snapshot.Set("version", after);
                        return snapshot;
                    }
                    if (attempt >= 3) throw new EngineException("CONFLICT", file.Path + " kept changing while it was read; try again.");
                }
            }
            catch (Exception e)
            {
                throw Errors.Map(WithoutFtp(e), file.Path);
            }
        }

        /// <summary>
        /// Applies a change set through one ServerManager and commits it once: every change reaches the
        /// file, or none does. CONFLICT when the file is no longer the version read.
        /// </summary>
        public static JsonObject Commit(Type serverManager, Dictionary<string, object> changeSet, string configPath)
        {
            if (changeSet == null) throw new EngineException("USAGE", "A commit request needs a change set.");
            ConfigFile file = ConfigFile.Locate(configPath);
            List<object> changes = Fields.List(changeSet, "changes");
            string expected = Fields.Str(changeSet, "version");
            JsonObject result = new JsonObject();
            try
            {
                string version;
                file.Load(null); // the engine's own read first: a malformed file or a DTD is refused with its position
                using (IDisposable sm = Administration.Open(serverManager, configPath))
                {
                    object section = Administration.SitesSection(sm);
                    version = file.Version();
                    if (version != expected) throw new EngineException("CONFLICT", file.Path + " changed on disk after it was read; nothing was written. Read it again and repeat the change.");
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
                        if (change == null) throw new EngineException("USAGE", "A change must be an object.");
                        object owner;
                        if (Fields.Str(change, "level") == "siteDefaults")
                        {
                            owner = Reflect.Call(section, "GetChildElement", "siteDefaults");
                        }
                        else
                        {
                            object reference = Fields.Get(change, "site");
                            if (reference == null) throw new EngineException("USAGE", "A site-level change names no site.");
                            owner = FindSite(all, reference);
                        }
                        SetAttribute(Element(owner, Fields.Strings(change, "path")), change);
                    }
                    Reflect.Call(sm, "CommitChanges");
                }
                string after = file.Version();
                result.Add("written", after != version);
                result.Add("version", after);
                return result;
            }
            catch (Exception e)
            {
                throw Errors.Map(WithoutFtp(e), file.Path);
            }
        }

        /// <summary>
        /// FTP_NOT_INSTALLED for ServerManager refusing a well-formed file because the machine has no
        /// FTP schema (an &lt;ftpServer&gt; element it does not know): on Windows when IIS's schema
        /// folder has no FTP_schema.xml, elsewhere (the test double) when the refusal names ftpServer.
        /// Any other exception is returned as it is.
        /// </summary>
        private static Exception WithoutFtp(Exception error)
        {
            Exception e = Errors.Innermost(error);
            if (!(e is System.Runtime.InteropServices.COMException) || e.HResult != Errors.InvalidData) return error;
            string windir = Environment.GetEnvironmentVariable("windir");
            bool missing;
            if (!string.IsNullOrEmpty(windir))
            {
                string schema = System.IO.Path.Combine(System.IO.Path.Combine(System.IO.Path.Combine(System.IO.Path.Combine(windir, "System32"), "inetsrv"), "config"), "schema");
                missing = System.IO.Directory.Exists(schema) && !System.IO.File.Exists(System.IO.Path.Combine(schema, "FTP_schema.xml"));
            }
            else
            {
                missing = e.Message.IndexOf("'ftpServer'", StringComparison.Ordinal) >= 0;
            }
            return missing ? new EngineException("FTP_NOT_INSTALLED", FtpNotInstalled + " (" + Errors.OneLine(e.Message) + ")", e) : error;
        }

        // ---- sites and elements ---------------------------------------------------------------------

        private static List<object> SiteList(object section)
        {
            List<object> list = new List<object>();
            foreach (object site in (IEnumerable)Reflect.Call(section, "GetCollection")) list.Add(site);
            return list;
        }

        /// <summary>A site's id (a uint attribute, which ServerManager returns as Int64), or null when the site has none.</summary>
        private static object SiteId(object site)
        {
            object attr = Reflect.Call(site, "GetAttribute", "id");
            if ((bool)Reflect.Get(attr, "IsInheritedFromDefaultValue")) return null;
            return Convert.ToInt64(Reflect.Get(attr, "Value"), CultureInfo.InvariantCulture);
        }

        private static string SiteName(object site)
        {
            return Convert.ToString(Reflect.Call(site, "GetAttributeValue", "name"), CultureInfo.InvariantCulture);
        }

        /// <summary>The site a reference names: name (case-insensitive, ordinal) with id also checked when given, or id alone.</summary>
        private static object FindSite(List<object> sites, object reference)
        {
            Dictionary<string, object> r = reference as Dictionary<string, object>;
            if (r == null) throw new EngineException("USAGE", "A site reference must be an object with a name or an id.");
            object nameValue = Fields.Get(r, "name");
            object idValue = Fields.Get(r, "id");
            if (nameValue != null && !(nameValue is string)) throw new EngineException("USAGE", "A site name must be a string.");
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
                shown.Add("and " + more.ToString(CultureInfo.InvariantCulture) + " more");
            }
            string what = name != null ? "named \"" + name + "\"" : "with id " + Convert.ToString(id, CultureInfo.InvariantCulture);
            string siteText = name ?? Convert.ToString(id, CultureInfo.InvariantCulture);
            string listText = shown.Count > 0 ? "Sites in the configuration: " + string.Join(", ", shown.ToArray()) : "The configuration has no sites";
            throw new EngineException("SITE_NOT_FOUND", "No site " + what + ". " + listText, null, siteText);
        }

        /// <summary>
        /// The element at path below a site or siteDefaults, walked with GetChildElement. Without the
        /// FTP service, IIS's schema has no ftpServer element and GetChildElement("ftpServer") throws:
        /// that is FTP_NOT_INSTALLED.
        /// </summary>
        private static object Element(object owner, List<string> path)
        {
            object el = owner;
            for (int i = 0; i < path.Count; i++)
            {
                object child;
                try
                {
                    child = Reflect.Call(el, "GetChildElement", path[i]);
                }
                catch (Exception e)
                {
                    if (i == 0 && path[i] == "ftpServer" && !(e is EngineException)) throw new EngineException("FTP_NOT_INSTALLED", FtpNotInstalled, e);
                    throw;
                }
                if (child == null)
                {
                    if (i == 0 && path[i] == "ftpServer") throw new EngineException("FTP_NOT_INSTALLED", FtpNotInstalled);
                    throw new EngineException("BACKEND_FAILED", "ServerManager has no element '" + path[i] + "' below '" + string.Join("/", path.GetRange(0, i).ToArray()) + "'.");
                }
                el = child;
            }
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

        /// <summary>For each element of the query, the attributes the file holds at this level, with ServerManager's values.</summary>
        private static JsonObject RawElements(object owner, List<ElementQuery> elements, LevelSources sources)
        {
            JsonObject result = new JsonObject();
            foreach (ElementQuery q in elements)
            {
                JsonObject set = new JsonObject();
                object element = Element(owner, new List<string>(q.Path));
                foreach (object attr in (IEnumerable)Reflect.Get(element, "Attributes"))
                {
                    string name = (string)Reflect.Get(attr, "Name");
                    if (sources.IsSet(q.Element, name)) set.Add(name, RawValue(Reflect.Get(attr, "Value")));
                }
                result.Add(q.Element, set);
            }
            return result;
        }

        private static List<object> Protocols(object site)
        {
            List<object> list = new List<object>();
            foreach (object binding in (IEnumerable)Reflect.Call(site, "GetCollection", "bindings"))
            {
                object p = Reflect.Call(binding, "GetAttribute", "protocol");
                if (!(bool)Reflect.Get(p, "IsInheritedFromDefaultValue")) list.Add(Convert.ToString(Reflect.Get(p, "Value"), CultureInfo.InvariantCulture).ToLowerInvariant());
            }
            return list;
        }

        // ---- commit ---------------------------------------------------------------------------------

        /// <summary>
        /// A change's value as the .NET type ServerManager casts the attribute's schema type to:
        /// Int32 for enum and flags (their number), TimeSpan for timeSpan, Boolean for bool, String
        /// for string. The real SetAttributeValue casts, and throws InvalidCastException for a
        /// string given to a timeSpan or uint attribute.
        /// </summary>
        private static object TypedValue(Dictionary<string, object> change)
        {
            string type = Fields.Str(change, "type");
            object value = Fields.Get(change, "value");
            object number = Fields.Get(change, "number");
            string attribute = Fields.Str(change, "attribute");
            if (!(value is string)) throw new EngineException("INVALID_VALUE", "The value for '" + attribute + "' must be text, not " + (value == null ? "null" : value.GetType().FullName) + ".");
            string text = (string)value;
            switch (type)
            {
                case "enum":
                case "flags":
                    if (number == null) throw new EngineException("INVALID_VALUE", "The " + type + " value '" + text + "' for '" + attribute + "' comes without its number; ServerManager takes enums and flags as Int32.");
                    return Convert.ToInt32(number, CultureInfo.InvariantCulture);
                case "timeSpan":
                    return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
                case "bool":
                    return bool.Parse(text);
                case "string":
                    return text;
                default:
                    throw new EngineException("INVALID_VALUE", "Unknown value type '" + type + "'.");
            }
        }

        /// <summary>Applies one change to an element: sets the typed value, or deletes the attribute for a null value.</summary>
        private static void SetAttribute(object element, Dictionary<string, object> change)
        {
            string name = Fields.Str(change, "attribute");
            string where = string.Join("/", Fields.Strings(change, "path").ToArray()) + "/@" + name;
            try
            {
                if (Fields.Get(change, "value") == null) Reflect.Call(Reflect.Call(element, "GetAttribute", name), "Delete");
                else Reflect.Call(element, "SetAttributeValue", name, TypedValue(change));
            }
            catch (Exception e)
            {
                Exception inner = Errors.Innermost(e);
                if (inner is EngineException) throw inner;
                if (inner is FormatException || inner is ArgumentException || inner is OverflowException || inner is InvalidCastException)
                {
                    throw new EngineException("INVALID_VALUE", where + " cannot be set to '" + Fields.Get(change, "value") + "': " + inner.Message, inner);
                }
                ExceptionDispatchInfo.Capture(inner).Throw();
                throw;
            }
        }
    }
}
