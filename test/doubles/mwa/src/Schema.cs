// Part of the test double of Microsoft.Web.Administration (see ../README.md).
// The small slice of the IIS configuration schema the double knows: the attributes of the
// elements iis-ftps reads and writes, with their types and defaults
// (shared/spec/ftp-tls-elements.md). Attributes it does not know are strings.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Microsoft.Web.Administration
{
    internal enum AttrKind { String, Bool, UInt, Enum, Flags, TimeSpan }

    internal sealed class AttrSchema
    {
        public string Name;
        public AttrKind Kind;
        /// <summary>Default as file text; null means "no default" (the type's zero value).</summary>
        public string DefaultText;
        /// <summary>For enum and flags: name and value, in ascending value order.</summary>
        public KeyValuePair<string, int>[] Values;

        public object DefaultValue
        {
            get
            {
                if (DefaultText != null) return Schema.Parse(this, DefaultText);
                switch (Kind)
                {
                    case AttrKind.Bool: return false;
                    case AttrKind.UInt: return 0L;
                    case AttrKind.Enum:
                    case AttrKind.Flags: return 0;
                    case AttrKind.TimeSpan: return TimeSpan.Zero;
                    default: return "";
                }
            }
        }
    }

    internal static class Schema
    {
        private static readonly Dictionary<string, AttrSchema[]> Elements = new Dictionary<string, AttrSchema[]>(StringComparer.Ordinal);

        static Schema()
        {
            Elements["site"] = new[]
            {
                Attr("name", AttrKind.String, null),
                Attr("id", AttrKind.UInt, null),
                Attr("serverAutoStart", AttrKind.Bool, "true"),
            };
            Elements["binding"] = new[]
            {
                Attr("protocol", AttrKind.String, null),
                Attr("bindingInformation", AttrKind.String, null),
            };
            Elements["ftpServer"] = new[]
            {
                Attr("serverAutoStart", AttrKind.Bool, "true"),
                Attr("allowUTF8", AttrKind.Bool, "true"),
            };
            Elements["ssl"] = new[]
            {
                Attr("serverCertHash", AttrKind.String, null),
                Attr("serverCertStoreName", AttrKind.String, "MY"),
                Attr("ssl128", AttrKind.Bool, "false"),
                Enum("controlChannelPolicy", "SslRequire", "SslAllow", "SslRequire", "SslRequireCredentialsOnly"),
                Enum("dataChannelPolicy", "SslRequire", "SslAllow", "SslRequire", "SslDeny"),
            };
            Elements["sslClientCertificates"] = new[]
            {
                Enum("clientCertificatePolicy", "CertIgnore", "CertIgnore", "CertAllow", "CertRequire"),
                new AttrSchema
                {
                    Name = "validationFlags",
                    Kind = AttrKind.Flags,
                    Values = new[]
                    {
                        new KeyValuePair<string, int>("NoRevocationCheck", 1),
                        new KeyValuePair<string, int>("CertChainRevocationCheckCacheOnly", 2),
                        new KeyValuePair<string, int>("CertChainCacheOnlyUrlRetrieval", 4),
                        new KeyValuePair<string, int>("CertNoUsageCheck", 8),
                    },
                },
                Attr("revocationFreshnessTime", AttrKind.TimeSpan, "00:00:00"),
                Attr("revocationUrlRetrievalTimeout", AttrKind.TimeSpan, "00:01:00"),
                Attr("useActiveDirectoryMapping", AttrKind.Bool, "false"),
            };
            Elements["clientCertAuthentication"] = new[] { Attr("enabled", AttrKind.Bool, "false") };
            Elements["anonymousAuthentication"] = new[]
            {
                Attr("enabled", AttrKind.Bool, "false"),
                Attr("userName", AttrKind.String, null),
            };
            Elements["basicAuthentication"] = new[]
            {
                Attr("enabled", AttrKind.Bool, "false"),
                Attr("defaultLogonDomain", AttrKind.String, null),
            };
        }

        private static AttrSchema Attr(string name, AttrKind kind, string def)
        {
            return new AttrSchema { Name = name, Kind = kind, DefaultText = def };
        }

        private static AttrSchema Enum(string name, string def, params string[] names)
        {
            return new AttrSchema
            {
                Name = name,
                Kind = AttrKind.Enum,
                DefaultText = def,
                Values = names.Select((n, i) => new KeyValuePair<string, int>(n, i)).ToArray(),
            };
        }

        public static IEnumerable<AttrSchema> AttributesOf(string element)
        {
            AttrSchema[] list;
            return Elements.TryGetValue(element, out list) ? list : new AttrSchema[0];
        }

        public static AttrSchema Find(string element, string attribute)
        {
            foreach (var a in AttributesOf(element)) if (a.Name == attribute) return a;
            return new AttrSchema { Name = attribute, Kind = AttrKind.String };
        }

        // ---- reading file text -------------------------------------------------------------

        /// <summary>
        /// The typed value of file text, as the real assembly returns it: Int32 for enum and flags,
        /// Int64 for uint (Site.Id is a long read by an unboxing cast), Boolean, TimeSpan, String.
        /// </summary>
        public static object Parse(AttrSchema a, string text)
        {
            switch (a.Kind)
            {
                case AttrKind.String: return text;
                case AttrKind.Bool: return ParseBool(a, text);
                case AttrKind.UInt:
                    uint u;
                    if (uint.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out u)) return (long)u;
                    throw Invalid(a, text, "an unsigned integer");
                case AttrKind.Enum: return ParseEnum(a, text);
                case AttrKind.Flags: return ParseFlags(a, text);
                case AttrKind.TimeSpan: return ParseTimeSpan(a, text);
            }
            throw new InvalidOperationException();
        }

        private static bool ParseBool(AttrSchema a, string text)
        {
            var t = text.Trim();
            if (string.Equals(t, "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(t, "false", StringComparison.OrdinalIgnoreCase)) return false;
            throw Invalid(a, text, "true or false");
        }

        private static int ParseEnum(AttrSchema a, string text)
        {
            var t = text.Trim();
            foreach (var kv in a.Values)
                if (string.Equals(kv.Key, t, StringComparison.OrdinalIgnoreCase)) return kv.Value;
            int n;
            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out n) && a.Values.Any(kv => kv.Value == n)) return n;
            throw Invalid(a, text, "one of " + Names(a));
        }

        private static int ParseFlags(AttrSchema a, string text)
        {
            var t = text.Trim();
            if (t.Length == 0 || string.Equals(t, "None", StringComparison.OrdinalIgnoreCase)) return 0;
            int n;
            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out n)) return CheckFlags(a, n, text);
            int sum = 0;
            foreach (var part in t.Split(','))
            {
                var name = part.Trim();
                var match = a.Values.Where(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).ToArray();
                if (match.Length == 0) throw Invalid(a, text, "names from " + Names(a) + " joined by commas, or their numeric sum");
                sum |= match[0].Value;
            }
            return sum;
        }

        private static int CheckFlags(AttrSchema a, long n, string shown)
        {
            int all = a.Values.Aggregate(0, (acc, kv) => acc | kv.Value);
            if (n < 0 || (n & ~all) != 0) throw Invalid(a, shown, "a sum of " + Names(a));
            return (int)n;
        }

        private static readonly Regex TimeSpanText = new Regex(@"^\s*(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d{1,7}))?\s*$", RegexOptions.CultureInvariant);

        private static TimeSpan ParseTimeSpan(AttrSchema a, string text)
        {
            var m = TimeSpanText.Match(text);
            if (!m.Success) throw Invalid(a, text, "a time span hh:mm:ss or d.hh:mm:ss");
            try
            {
                long days = m.Groups[1].Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                long hours = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                long minutes = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                long seconds = long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
                if (minutes > 59 || seconds > 59) throw Invalid(a, text, "minutes and seconds below 60");
                long fraction = m.Groups[5].Success ? long.Parse(m.Groups[5].Value.PadRight(7, '0'), CultureInfo.InvariantCulture) : 0;
                long ticks = checked((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * TimeSpan.TicksPerSecond + fraction);
                return new TimeSpan(ticks);
            }
            catch (OverflowException)
            {
                throw Invalid(a, text, "a time span that fits in a TimeSpan");
            }
        }

        // ---- values handed to SetAttributeValue ---------------------------------------------

        /// <summary>
        /// The canonical file text for a value given to SetAttributeValue. As the real assembly, it
        /// casts the object to the attribute's type rather than parsing text: a string for a
        /// timeSpan, uint, bool or an object that is not a string for a string attribute throws
        /// InvalidCastException. Enums take their number or name, flags their sum or names.
        /// </summary>
        public static string Format(AttrSchema a, object value)
        {
            if (value == null) throw new ArgumentNullException("value", "The value of attribute '" + a.Name + "' cannot be null; delete the attribute to reset it.");
            var s = value as string;
            switch (a.Kind)
            {
                case AttrKind.String:
                    if (s == null) throw new InvalidCastException();
                    return s;
                case AttrKind.Bool:
                    if (value is bool) return (bool)value ? "true" : "false";
                    throw new InvalidCastException();
                case AttrKind.UInt:
                    {
                        long? u = Integer(value);
                        if (!u.HasValue) throw new InvalidCastException();
                        if (u.Value < 0 || u.Value > uint.MaxValue) throw new OverflowException("Value was either too large or too small for a UInt32.");
                        return u.Value.ToString(CultureInfo.InvariantCulture);
                    }
                case AttrKind.Enum:
                    {
                        if (s != null) return NameOf(a, ParseEnum(a, s));
                        long? n = Integer(value);
                        if (n.HasValue)
                        {
                            foreach (var kv in a.Values) if (kv.Value == n.Value) return kv.Key;
                            throw Invalid(a, value, "one of " + Names(a));
                        }
                        throw new InvalidCastException();
                    }
                case AttrKind.Flags:
                    {
                        if (s != null) return FlagNames(a, ParseFlags(a, s));
                        long? n = Integer(value);
                        if (n.HasValue) return FlagNames(a, CheckFlags(a, n.Value, Convert.ToString(value, CultureInfo.InvariantCulture)));
                        throw new InvalidCastException();
                    }
                case AttrKind.TimeSpan:
                    {
                        if (!(value is TimeSpan)) throw new InvalidCastException();
                        var ts = (TimeSpan)value;
                        if (ts < TimeSpan.Zero) throw Invalid(a, value, "a time span that is not negative");
                        return ts.ToString("c", CultureInfo.InvariantCulture);
                    }
            }
            throw new InvalidOperationException();
        }

        private static long? Integer(object value)
        {
            if (value is int || value is long || value is short || value is sbyte || value is byte || value is ushort || value is uint)
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            return null;
        }

        private static string NameOf(AttrSchema a, int n)
        {
            foreach (var kv in a.Values) if (kv.Value == n) return kv.Key;
            throw new InvalidOperationException();
        }

        /// <summary>Flag names in ascending bit order joined by ", "; no flag at all is the empty text.</summary>
        private static string FlagNames(AttrSchema a, int n)
        {
            return string.Join(", ", a.Values.Where(kv => kv.Value != 0 && (n & kv.Value) == kv.Value).Select(kv => kv.Key).ToArray());
        }

        private static string Names(AttrSchema a)
        {
            return string.Join(", ", a.Values.Select(kv => kv.Key + " (" + kv.Value + ")").ToArray());
        }

        private static FormatException Invalid(AttrSchema a, object value, string expected)
        {
            return new FormatException("Invalid value '" + Convert.ToString(value, CultureInfo.InvariantCulture) + "' for attribute '" + a.Name + "': expected " + expected + ".");
        }
    }
}
