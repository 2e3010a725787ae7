// Looking up a certificate by thumbprint in the machine's certificate stores, as IIS's FTP service
// finds its server certificate (serverCertHash in serverCertStoreName, LocalMachine).
//
// Test seam: when IIS_FTPS_CERT_STORE_DIR names a folder (the backends send it with each request as
// certStoreDir, since .NET reads the environment once, when it starts), it stands in for the machine's stores:
// each subfolder is a store (its name compared case-insensitively, e.g. `My`, `WebHosting`),
// and every .cer, .crt, .der, .pfx or .p12 file in it is a certificate of that store (a .pfx
// without a password, so it has its private key). LocalMachine\My does not exist on Linux .NET,
// so the tests fill the stores this way; on a server the variable is not set.

namespace IisFtps.Engine
{
    using System;
    using System.Collections.Generic;
    using System.Globalization;
    using System.IO;
    using System.Reflection;
    using System.Security.Cryptography;
    using System.Security.Cryptography.X509Certificates;

    public static class Certificates
    {
        public const string StoreDirVariable = "IIS_FTPS_CERT_STORE_DIR";
        private static readonly string[] DefaultStores = new string[] { "My", "WebHosting" };
        private static readonly string[] Extensions = new string[] { ".cer", ".crt", ".der", ".pfx", ".p12" };

        /// <summary>
        /// The certificate with that thumbprint in LocalMachine\storeName, or (no store given) in
        /// LocalMachine\My, then LocalMachine\WebHosting: { thumbprint, store, subject, notBefore,
        /// notAfter, hasPrivateKey, enhancedKeyUsages }, or null when it is in none of them.
        /// </summary>
        public static JsonObject Find(string thumbprint, string storeName, string storeDir)
        {
            string wanted = Normalize(thumbprint);
            string[] stores = string.IsNullOrEmpty(storeName) ? DefaultStores : new string[] { storeName };
            string seam = storeDir ?? Environment.GetEnvironmentVariable(StoreDirVariable);
            foreach (string store in stores)
            {
                JsonObject found = string.IsNullOrEmpty(seam) ? FromMachine(store, wanted) : FromFolder(seam, store, wanted);
                if (found != null) return found;
            }
            return null;
        }

        /// <summary>40 upper-case hex digits; spaces (as the certificate dialog shows them) are dropped. INVALID_VALUE otherwise.</summary>
        private static string Normalize(string thumbprint)
        {
            string t = (thumbprint ?? "").Replace(" ", "").Replace("\u200E", "").ToUpperInvariant();
            bool hex = t.Length == 40;
            for (int i = 0; i < t.Length && hex; i++) hex = (t[i] >= '0' && t[i] <= '9') || (t[i] >= 'A' && t[i] <= 'F');
            if (!hex) throw new EngineException("INVALID_VALUE", "A certificate thumbprint is 40 hex digits, not '" + thumbprint + "'.");
            return t;
        }

        private static JsonObject FromMachine(string store, string thumbprint)
        {
            X509Store x509 = new X509Store(store, StoreLocation.LocalMachine);
            try
            {
                try
                {
                    x509.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                }
                catch (CryptographicException)
                {
                    return null; // no such store on this machine (WebHosting exists only where IIS made it)
                }
                catch (PlatformNotSupportedException)
                {
                    return null;
                }
                X509Certificate2Collection matches = x509.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, false);
                foreach (X509Certificate2 cert in matches) return Describe(cert, store);
                return null;
            }
            finally
            {
                x509.Close();
            }
        }

        private static JsonObject FromFolder(string root, string store, string thumbprint)
        {
            if (!Directory.Exists(root)) throw new EngineException("FILE_READ", StoreDirVariable + " names '" + root + "', which is not a folder.");
            foreach (string dir in Directory.GetDirectories(root))
            {
                if (!string.Equals(Path.GetFileName(dir), store, StringComparison.OrdinalIgnoreCase)) continue;
                string[] files = Directory.GetFiles(dir);
                Array.Sort(files, StringComparer.Ordinal);
                foreach (string file in files)
                {
                    if (Array.IndexOf(Extensions, Path.GetExtension(file).ToLowerInvariant()) < 0) continue;
                    X509Certificate2 cert;
                    try
                    {
                        cert = Load(file);
                    }
                    catch (Exception e)
                    {
                        Exception inner = Errors.Innermost(e);
                        throw new EngineException("FILE_READ", file + " is not a certificate this store can hold: " + inner.Message, inner);
                    }
                    if (string.Equals(cert.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase)) return Describe(cert, store);
                }
            }
            return null;
        }

        /// <summary>
        /// A certificate file: through X509CertificateLoader where the runtime has it (.NET 9 and
        /// later, where the constructor is obsolete), else the constructor (.NET Framework, Mono).
        /// </summary>
        private static X509Certificate2 Load(string file)
        {
            byte[] bytes = File.ReadAllBytes(file);
            string ext = Path.GetExtension(file).ToLowerInvariant();
            bool pkcs12 = ext == ".pfx" || ext == ".p12";
            Type loader = typeof(X509Certificate2).Assembly.GetType("System.Security.Cryptography.X509Certificates.X509CertificateLoader", false);
            if (loader != null)
            {
                if (pkcs12)
                {
                    MethodInfo load = loader.GetMethod("LoadPkcs12", new Type[] { typeof(byte[]), typeof(string), typeof(X509KeyStorageFlags), loader.Assembly.GetType("System.Security.Cryptography.X509Certificates.Pkcs12LoaderLimits", true) });
                    if (load != null) return (X509Certificate2)load.Invoke(null, new object[] { bytes, "", X509KeyStorageFlags.Exportable, null });
                }
                else
                {
                    MethodInfo load = loader.GetMethod("LoadCertificate", new Type[] { typeof(byte[]) });
                    if (load != null) return (X509Certificate2)load.Invoke(null, new object[] { bytes });
                }
            }
            return (X509Certificate2)Activator.CreateInstance(typeof(X509Certificate2), new object[] { bytes, "", X509KeyStorageFlags.Exportable });
        }

        private static JsonObject Describe(X509Certificate2 cert, string store)
        {
            JsonObject info = new JsonObject();
            info.Add("thumbprint", cert.Thumbprint.ToUpperInvariant());
            info.Add("store", store);
            info.Add("subject", cert.Subject);
            info.Add("notBefore", Iso(cert.NotBefore));
            info.Add("notAfter", Iso(cert.NotAfter));
            info.Add("hasPrivateKey", cert.HasPrivateKey);
            info.Add("enhancedKeyUsages", KeyUsages(cert));
            return info;
        }

        /// <summary>The enhanced key usage OIDs, or null when the certificate has no EKU extension (usable for any purpose).</summary>
        private static List<object> KeyUsages(X509Certificate2 cert)
        {
            foreach (X509Extension ext in cert.Extensions)
            {
                if (ext.Oid == null || ext.Oid.Value != "2.5.29.37") continue;
                X509EnhancedKeyUsageExtension eku = ext as X509EnhancedKeyUsageExtension ?? new X509EnhancedKeyUsageExtension(ext, ext.Critical);
                List<object> oids = new List<object>();
                foreach (Oid oid in eku.EnhancedKeyUsages) oids.Add(oid.Value);
                return oids;
            }
            return null;
        }

        private static string Iso(DateTime time)
        {
            return time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
    }
}
