// Part of the test double of Microsoft.Web.Administration (see ../README.md).
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml;

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
        /// <summary>HRESULT_FROM_WIN32(ERROR_INVALID_DATA): what the configuration system returns for a file it cannot parse.</summary>
        internal const int InvalidData = unchecked((int)0x8007000D);
        /// <summary>HRESULT_FROM_WIN32(ERROR_FILE_INVALID): the commit found the file changed on disk; the CLR maps it to FileLoadException.</summary>
        internal const int FileInvalid = unchecked((int)0x800703EE);

        private readonly string path;
        private readonly bool readOnly;
        private readonly byte[] loadedBytes;
        private readonly bool bom;
        private XmlText doc;
        private Exception loadError;
        private ConfigurationSection sites;
        private int seq;
        private bool committed;

        /// <summary>False with IIS_FTPS_MWA_NO_FTP=1: a server without the FTP Server role, whose schema has no ftpServer element.</summary>
        internal readonly bool FtpInstalled;

        private Configuration(string path, bool readOnly, byte[] bytes)
        {
            this.path = path;
            this.readOnly = readOnly;
            loadedBytes = bytes;
            FtpInstalled = Environment.GetEnvironmentVariable("IIS_FTPS_MWA_NO_FTP") != "1";
            bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            // As the real configuration system, the file is parsed when a section is first asked for.
            try
            {
                var text = new UTF8Encoding(false, true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
                doc = XmlText.Parse(text, path);
            }
            catch (DecoderFallbackException)
            {
                loadError = ConfigError(1, "Configuration file is not well-formed XML");
            }
            catch (XmlException e)
            {
                var where = e.InnerException as XmlException ?? e;
                loadError = ConfigError(Math.Max(1, where.LineNumber), "Configuration file is not well-formed XML");
            }
        }

        internal XmlText Doc { get { return doc; } }

        /// <summary>The path as the native configuration system names it in messages.</summary>
        internal string NativePath { get { return @"\\?\" + path; } }

        /// <summary>A COMException shaped as the configuration system reports an error in the file: file name, line, error.</summary>
        private COMException ConfigError(int line, string error)
        {
            return new COMException("Filename: " + NativePath + "\r\nLine number: " + line.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\nError: " + error + "\r\n\r\n", InvalidData);
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
            if (loadError != null) throw loadError;
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
            if (!FtpInstalled)
            {
                // IIS refuses an element its schema does not declare when it reads the section.
                foreach (var level in node.Children.Where(c => c.Name == "site" || c.Name == "siteDefaults"))
                {
                    var ftp = level.Children.FirstOrDefault(c => c.Name == "ftpServer");
                    if (ftp != null) throw ConfigError(Doc.LineOf(ftp.Start), "Unrecognized element 'ftpServer'");
                }
            }
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
            {
                var conflict = new FileLoadException("Filename: " + NativePath + "\r\nError: Cannot commit configuration changes because the file has changed on disk\r\n\r\n");
                // The setter is protected in netstandard2.0; the real exception carries the native HRESULT.
                typeof(Exception).GetProperty("HResult").SetValue(conflict, FileInvalid, null);
                throw conflict;
            }
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
