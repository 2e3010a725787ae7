// The configuration file behind a ServerManager: which file it is, its version (SHA-256 of its
// bytes), and which attributes it holds at each level.
//
// Why the engine reads the file itself: in IIS, <siteDefaults> is the collection default of
// <sites> (isCollectionDefault in IIS_schema.xml), and the configuration system merges it into
// every <site> element. Read through ServerManager, a site's attribute that only siteDefaults sets
// has the siteDefaults value and IsInheritedFromDefaultValue == false ("Reports whether the
// attribute value is inherited from the default value" means the schema default only). So
// ServerManager cannot tell "set on the site" from "set in siteDefaults"; the file can. The engine
// decides where an attribute is set from the attributes as written in the file (the site's, and
// siteDefaults'), and takes the values from ServerManager.

namespace IisFtps.Engine
{
    using System;
    using System.Collections.Generic;
    using System.Globalization;
    using System.IO;
    using System.Security.Cryptography;
    using System.Text;
    using System.Xml;

    /// <summary>An element a query names: the schema's name and the XML element names below a site.</summary>
    public class ElementQuery
    {
        public string Element;
        public string[] Path;

        public static List<ElementQuery> From(List<object> elements)
        {
            List<ElementQuery> list = new List<ElementQuery>();
            foreach (object o in elements)
            {
                Dictionary<string, object> d = o as Dictionary<string, object>;
                if (d == null) throw new EngineException("USAGE", "A query's element must be an object with an element name and a path.");
                ElementQuery q = new ElementQuery();
                q.Element = Fields.Str(d, "element");
                q.Path = Fields.Strings(d, "path").ToArray();
                list.Add(q);
            }
            return list;
        }
    }

    /// <summary>The attributes one level (a site or siteDefaults) holds in the file, per element of the query.</summary>
    public class LevelSources
    {
        private readonly Dictionary<string, HashSet<string>> set = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        public static readonly LevelSources None = new LevelSources();

        public void Add(string element, string attribute)
        {
            HashSet<string> names;
            if (!set.TryGetValue(element, out names))
            {
                names = new HashSet<string>(StringComparer.Ordinal);
                set[element] = names;
            }
            names.Add(attribute);
        }

        public bool IsSet(string element, string attribute)
        {
            HashSet<string> names;
            return set.TryGetValue(element, out names) && names.Contains(attribute);
        }
    }

    /// <summary>What the file holds: siteDefaults' attributes and each site's (by name, case-insensitive; the first of a name counts).</summary>
    public class Sources
    {
        public readonly LevelSources SiteDefaults = new LevelSources();
        private readonly Dictionary<string, LevelSources> sites = new Dictionary<string, LevelSources>(StringComparer.OrdinalIgnoreCase);

        public LevelSources Site(string name)
        {
            LevelSources level;
            return name != null && sites.TryGetValue(name, out level) ? level : LevelSources.None;
        }

        /// <summary>The level of a site seen in the file, or null when a site of that name was seen before.</summary>
        public LevelSources NewSite(string name)
        {
            if (sites.ContainsKey(name)) return null;
            LevelSources level = new LevelSources();
            sites[name] = level;
            return level;
        }
    }

    /// <summary>The file as read once: its version and what it holds.</summary>
    public class FileState
    {
        public string Version;
        public Sources Sources;
    }

    /// <summary>The applicationHost.config a ServerManager works on.</summary>
    public class ConfigFile
    {
        /// <summary>The file ServerManager reads and writes: configPath in full, else the live one, or the shared one it redirects to.</summary>
        public string Path;

        /// <summary>
        /// The file for a request: configPath in full (ServerManager(path) opens that file as it is),
        /// else the live %windir%\System32\inetsrv\config\applicationHost.config, or, under shared
        /// configuration (redirection.config beside it with configurationRedirection enabled), the
        /// applicationHost.config in the folder it names, which is the one IIS reads and writes.
        /// </summary>
        public static ConfigFile Locate(string configPath)
        {
            ConfigFile f = new ConfigFile();
            if (!string.IsNullOrEmpty(configPath))
            {
                f.Path = System.IO.Path.GetFullPath(configPath);
                return f;
            }
            string windir = Environment.GetEnvironmentVariable("windir");
            if (string.IsNullOrEmpty(windir)) throw new EngineException("BACKEND_UNAVAILABLE", "There is no live IIS configuration here (not Windows). Pass a configuration file path.");
            string config = System.IO.Path.Combine(System.IO.Path.Combine(System.IO.Path.Combine(windir, "System32"), "inetsrv"), "config");
            f.Path = System.IO.Path.Combine(config, "applicationHost.config");
            string shared = Redirected(System.IO.Path.Combine(config, "redirection.config"));
            if (shared != null) f.Path = System.IO.Path.Combine(shared, "applicationHost.config");
            return f;
        }

        /// <summary>The folder redirection.config sends the configuration to, or null when it does not (or is not there).</summary>
        public static string Redirected(string redirection)
        {
            if (!File.Exists(redirection)) return null;
            byte[] bytes = ReadBytes(redirection);
            try
            {
                using (XmlReader reader = XmlReader.Create(new MemoryStream(bytes), ReaderSettings()))
                {
                    while (reader.Read())
                    {
                        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "configurationRedirection" || reader.Depth != 1) continue;
                        string enabled = reader.GetAttribute("enabled");
                        string path = reader.GetAttribute("path");
                        if (enabled == null || !string.Equals(enabled.Trim(), "true", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(path)) return null;
                        return Environment.ExpandEnvironmentVariables(path);
                    }
                }
            }
            catch (XmlException e)
            {
                throw Refused(redirection, bytes, e);
            }
            return null;
        }

        /// <summary>The elements down to &lt;sites&gt; in applicationHost.config.</summary>
        private static readonly string[] SitesPrefix = new string[] { "configuration", "system.applicationHost", "sites" };

        /// <summary>
        /// The version token, as the offline backend's: the SHA-256 of the file's bytes, lower-case
        /// hex; with &lt;sites configSource="..."&gt;, that hash, a colon and the sites file's hash,
        /// so a change of either file is a new version.
        /// </summary>
        public string Version()
        {
            byte[] bytes = ReadBytes(Path);
            string configSource = Scan(Path, bytes, SitesPrefix, null, null);
            if (configSource == null) return Hash(bytes);
            return Hash(bytes) + ":" + Hash(ReadBytes(SitesFile(configSource)));
        }

        /// <summary>Reads the file once: its version, and the attributes each level holds for the elements asked.</summary>
        public FileState Load(List<ElementQuery> elements)
        {
            byte[] bytes = ReadBytes(Path);
            FileState state = new FileState();
            state.Version = Hash(bytes);
            state.Sources = new Sources();
            string configSource = Scan(Path, bytes, SitesPrefix, elements, state.Sources);
            if (configSource != null)
            {
                string sitesFile = SitesFile(configSource);
                byte[] sitesBytes = ReadBytes(sitesFile);
                Scan(sitesFile, sitesBytes, new string[] { "sites" }, elements, state.Sources);
                state.Version = state.Version + ":" + Hash(sitesBytes);
            }
            return state;
        }

        /// <summary>
        /// The file &lt;sites configSource="..."&gt; names: beside applicationHost.config (IIS reads
        /// configSource files from the configuration's folder only), FILE_READ when it leads out.
        /// </summary>
        private string SitesFile(string configSource)
        {
            string dir = System.IO.Path.GetDirectoryName(Path);
            string sitesFile = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, configSource));
            string prefix = dir.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? dir : dir + System.IO.Path.DirectorySeparatorChar;
            if (System.IO.Path.IsPathRooted(configSource) || !sitesFile.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                throw new EngineException("FILE_READ", Path + ": <sites configSource=\"" + configSource + "\"> leads out of the configuration's folder; it must name a file beside applicationHost.config.");
            }
            return sitesFile;
        }

        private static XmlReaderSettings ReaderSettings()
        {
            XmlReaderSettings settings = new XmlReaderSettings();
            settings.DtdProcessing = DtdProcessing.Prohibit;
            settings.XmlResolver = null;
            settings.IgnoreComments = true;
            settings.IgnoreProcessingInstructions = true;
            settings.IgnoreWhitespace = true;
            settings.CloseInput = true;
            return settings;
        }

        /// <summary>
        /// One pass over a file: the attributes written on each query element below siteDefaults
        /// and below each site (prefix: the elements down to &lt;sites&gt;), into -into (none when
        /// it is null: then only the configSource is looked for). Returns the configSource of
        /// &lt;sites&gt;, if it has one.
        /// </summary>
        private static string Scan(string file, byte[] bytes, string[] prefix, List<ElementQuery> elements, Sources into)
        {
            string configSource = null;
            List<string> stack = new List<string>();
            LevelSources level = null;
            try
            {
                using (XmlReader reader = XmlReader.Create(new MemoryStream(bytes), ReaderSettings()))
                {
                    while (reader.Read())
                    {
                        if (reader.NodeType == XmlNodeType.EndElement)
                        {
                            stack.RemoveAt(stack.Count - 1);
                            continue;
                        }
                        if (reader.NodeType != XmlNodeType.Element) continue;
                        bool empty = reader.IsEmptyElement;
                        stack.Add(reader.LocalName);
                        int below = stack.Count - prefix.Length;
                        if (below >= 0 && StartsWith(stack, prefix))
                        {
                            if (below == 0)
                            {
                                string cs = reader.GetAttribute("configSource");
                                if (!string.IsNullOrEmpty(cs)) configSource = cs;
                                // Only the configSource is wanted: it is on <sites> itself.
                                if (into == null) return configSource;
                            }
                            else if (below == 1 && into != null)
                            {
                                level = null;
                                if (reader.LocalName == "siteDefaults")
                                {
                                    level = into.SiteDefaults;
                                }
                                else if (reader.LocalName == "site")
                                {
                                    string name = reader.GetAttribute("name");
                                    if (name != null) level = into.NewSite(name);
                                }
                            }
                            else if (level != null && elements != null)
                            {
                                foreach (ElementQuery q in elements)
                                {
                                    if (q.Path.Length != below - 1 || !Below(stack, prefix.Length + 1, q.Path)) continue;
                                    if (reader.MoveToFirstAttribute())
                                    {
                                        do
                                        {
                                            if (reader.Prefix.Length == 0 && reader.LocalName != "xmlns") level.Add(q.Element, reader.LocalName);
                                        }
                                        while (reader.MoveToNextAttribute());
                                        reader.MoveToElement();
                                    }
                                }
                            }
                        }
                        if (empty) stack.RemoveAt(stack.Count - 1);
                    }
                }
            }
            catch (XmlException e)
            {
                throw Refused(file, bytes, e);
            }
            return configSource;
        }

        private static bool StartsWith(List<string> stack, string[] prefix)
        {
            for (int i = 0; i < prefix.Length; i++)
            {
                if (stack[i] != prefix[i]) return false;
            }
            return true;
        }

        private static bool Below(List<string> stack, int start, string[] path)
        {
            for (int i = 0; i < path.Length; i++)
            {
                if (stack[start + i] != path[i]) return false;
            }
            return true;
        }

        /// <summary>XML_DTD for a file with a DTD (refused, never expanded), else XML_MALFORMED with the line and column.</summary>
        private static EngineException Refused(string file, byte[] bytes, XmlException e)
        {
            bool dtd = IndexOf(bytes, Encoding.ASCII.GetBytes("<!DOCTYPE")) >= 0;
            EngineException refused = dtd
                ? new EngineException("XML_DTD", file + " has a DTD (<!DOCTYPE>); it is refused, never expanded. Remove it: applicationHost.config has none.", e)
                : new EngineException("XML_MALFORMED", file + " is not well-formed XML at line " + e.LineNumber.ToString(CultureInfo.InvariantCulture) + ", column " + e.LinePosition.ToString(CultureInfo.InvariantCulture) + ": " + Errors.OneLine(e.Message) + " Fix the file there (IIS refuses it too).", e);
            refused.Line = e.LineNumber;
            refused.Column = e.LinePosition;
            return refused;
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        /// <summary>A file's bytes; FILE_READ when it cannot be read, CONFLICT (retryable) when another process holds it.</summary>
        public static byte[] ReadBytes(string path)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e)
            {
                if (Errors.IsSharingViolation(e)) throw Errors.Map(e, path);
                throw new EngineException("FILE_READ", path + " cannot be read: " + e.Message, e);
            }
        }

        public static string Hash(byte[] bytes)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(bytes);
                StringBuilder sb = new StringBuilder(hash.Length * 2);
                foreach (byte b in hash) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                return sb.ToString();
            }
        }
    }
}
