// Part of the test double of Microsoft.Web.Administration (see ../README.md).
using System;
using System.IO;
using System.Linq;
using System.Text;

namespace Microsoft.Web.Administration
{
    /// <summary>
    /// Test double of IIS's ServerManager: it edits an applicationHost.config file given by path.
    /// There is no IIS behind it, so the parameterless constructor (the live server) fails.
    /// </summary>
    public class ServerManager : IDisposable
    {
        private readonly string path;
        private readonly bool readOnly;
        private Configuration appHost;
        private bool disposed;

        public ServerManager()
        {
            throw new PlatformNotSupportedException(
                "This Microsoft.Web.Administration is the iis-ftps test double: it cannot manage a live IIS. " +
                "Use ServerManager(string applicationHostConfigurationPath), or load the real assembly from %windir%\\System32\\inetsrv on a server with IIS.");
        }

        public ServerManager(string applicationHostConfigurationPath) : this(false, applicationHostConfigurationPath)
        {
        }

        public ServerManager(bool readOnly, string applicationHostConfigurationPath)
        {
            if (string.IsNullOrEmpty(applicationHostConfigurationPath))
                throw new PlatformNotSupportedException(
                    "This Microsoft.Web.Administration is the iis-ftps test double: it needs the path of an applicationHost.config file.");
            path = Path.GetFullPath(applicationHostConfigurationPath);
            this.readOnly = readOnly;
        }

        public Configuration GetApplicationHostConfiguration()
        {
            CheckNotDisposed();
            if (appHost == null) appHost = Configuration.Load(path, readOnly);
            return appHost;
        }

        /// <summary>
        /// Writes every change made through this ServerManager at once. Refuses, writing nothing,
        /// when the file changed on disk since it was loaded.
        /// </summary>
        public void CommitChanges()
        {
            CheckNotDisposed();
            if (readOnly) throw new InvalidOperationException("The ServerManager was opened read-only; it cannot commit changes.");
            if (appHost != null) appHost.Commit();
        }

        public void Dispose()
        {
            disposed = true;
        }

        private void CheckNotDisposed()
        {
            if (disposed) throw new ObjectDisposedException("ServerManager");
        }
    }

    public sealed class Configuration
    {
        private readonly string path;
        private readonly bool readOnly;
        private readonly byte[] loadedBytes;
        private readonly bool bom;
        internal readonly XmlText Doc;
        private ConfigurationSection sites;
        private int seq;
        private bool committed;

        private Configuration(string path, bool readOnly, byte[] bytes)
        {
            this.path = path;
            this.readOnly = readOnly;
            loadedBytes = bytes;
            bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
            }
            catch (DecoderFallbackException e)
            {
                throw new FileLoadException("Filename: " + path + "\r\nError: the configuration file is not UTF-8.", e);
            }
            Doc = XmlText.Parse(text, path);
        }

        internal static Configuration Load(string path, bool readOnly)
        {
            return new Configuration(path, readOnly, File.ReadAllBytes(path));
        }

        public string FilePath { get { return path; } }

        internal int NextSeq()
        {
            return ++seq;
        }

        internal ConfigurationElement Wrap(ConfigurationElement parent, XmlNode node)
        {
            return new ConfigurationElement(this, parent, node, node.Name, 0);
        }

        internal void CheckWritable()
        {
            if (committed)
                throw new InvalidOperationException("The test double does not take changes after CommitChanges; open a new ServerManager.");
        }

        /// <summary>Only <c>system.applicationHost/sites</c> is part of the double.</summary>
        public ConfigurationSection GetSection(string sectionPath)
        {
            if (sectionPath != "system.applicationHost/sites")
                throw new NotSupportedException("The Microsoft.Web.Administration test double knows only the section 'system.applicationHost/sites', not '" + sectionPath + "'.");
            if (sites != null) return sites;
            var node = Doc.Root;
            foreach (var name in new[] { "system.applicationHost", "sites" })
            {
                node = node == null ? null : node.Children.FirstOrDefault(c => c.Name == name);
            }
            if (node == null)
                throw new FileLoadException("Filename: " + path + "\r\nError: the configuration section 'system.applicationHost/sites' is missing from the file.");
            if (node.FindAttr("configSource") != null)
                throw new NotSupportedException("Filename: " + path + "\r\nError: <sites configSource=\"...\"> is not supported by the Microsoft.Web.Administration test double.");
            sites = new ConfigurationSection(this, node, sectionPath);
            return sites;
        }

        internal void Commit()
        {
            CheckWritable();
            if (readOnly) throw new InvalidOperationException("The configuration was opened read-only; it cannot commit changes.");
            if (sites == null) return;
            string text = Splicer.Apply(Doc, sites);
            committed = true;
            if (text == Doc.Text) return;
            var current = File.ReadAllBytes(path);
            if (!current.SequenceEqual(loadedBytes))
                throw new FileLoadException("Cannot commit configuration changes because the file has changed on disk", path);
            var body = new UTF8Encoding(false).GetBytes(text);
            var bytes = bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body).ToArray() : body;
            WriteAtomically(path, bytes);
        }

        /// <summary>A temporary file beside the original (a copy, so it keeps the permissions), flushed, renamed over it.</summary>
        private static void WriteAtomically(string path, byte[] bytes)
        {
            string dir = Path.GetDirectoryName(path);
            string temp = Path.Combine(dir, ".iis-ftps-" + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                File.Copy(path, temp);
                using (var fs = new FileStream(temp, FileMode.Truncate, FileAccess.Write, FileShare.None))
                {
                    fs.Write(bytes, 0, bytes.Length);
                    fs.Flush(true);
                }
                File.Replace(temp, path, null);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}
