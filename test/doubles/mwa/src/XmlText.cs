// Part of the test double of Microsoft.Web.Administration (see ../README.md).
// A scanner that records where every element and attribute stands in the original text, so that
// edits can be spliced into the text and every other byte kept (docs/file-edits.md).
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;

namespace Microsoft.Web.Administration
{
    internal sealed class XmlAttr
    {
        public string Name;
        /// <summary>Offset of the white space that precedes the attribute name.</summary>
        public int WsStart;
        public int NameStart;
        /// <summary>First character of the value (after the opening quote).</summary>
        public int ValueStart;
        /// <summary>Offset of the closing quote.</summary>
        public int ValueEnd;
        public char Quote;
        /// <summary>The value as an XML parser reports it (entities expanded, white space normalised).</summary>
        public string Value;
    }

    internal sealed class XmlNode
    {
        public string Name;
        /// <summary>Position in document order among all elements, from 0.</summary>
        public int Index;
        public XmlNode Parent;
        public readonly List<XmlNode> Children = new List<XmlNode>();
        public readonly List<XmlAttr> Attrs = new List<XmlAttr>();
        /// <summary>Offset of '&lt;'.</summary>
        public int Start;
        public int NameEnd;
        /// <summary>Offset of the white space before "/&gt;" (self-closing) or of "&gt;".</summary>
        public int StartTagCloseWs;
        /// <summary>Offset just past the start tag.</summary>
        public int StartTagEnd;
        public bool SelfClosing;
        /// <summary>Offset of "&lt;/" (equal to End for a self-closing element).</summary>
        public int EndTagStart;
        /// <summary>Offset just past the element.</summary>
        public int End;
        /// <summary>True when the content holds anything but white space and child elements.</summary>
        public bool HasOtherContent;

        public XmlAttr FindAttr(string name)
        {
            foreach (var a in Attrs) if (a.Name == name) return a;
            return null;
        }
    }

    internal sealed class XmlText
    {
        public readonly string Text;
        public readonly XmlNode Root;
        public readonly List<XmlNode> Elements = new List<XmlNode>();

        private XmlText(string text, XmlNode root)
        {
            Text = text;
            Root = root;
        }

        /// <summary>Checks that the text is well-formed XML without a DTD, then records positions.</summary>
        public static XmlText Parse(string text, string fileName)
        {
            CheckWellFormed(text, fileName);
            var scanner = new Scanner(text, fileName);
            var root = scanner.Run();
            var doc = new XmlText(text, root);
            Collect(root, doc.Elements);
            return doc;
        }

        private static void Collect(XmlNode node, List<XmlNode> list)
        {
            node.Index = list.Count;
            list.Add(node);
            foreach (var c in node.Children) Collect(c, list);
        }

        private static void CheckWellFormed(string text, string fileName)
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = false,
                IgnoreWhitespace = false,
            };
            try
            {
                using (var reader = XmlReader.Create(new StringReader(text), settings))
                {
                    while (reader.Read()) { }
                }
            }
            catch (XmlException e)
            {
                if (text.IndexOf("<!DOCTYPE", StringComparison.Ordinal) >= 0)
                    throw new XmlException("Filename: " + fileName + "\r\nError: the configuration file declares a DTD (<!DOCTYPE>); it is refused, never expanded.", e);
                throw new XmlException("Filename: " + fileName + "\r\nError: the configuration file is not well-formed XML: " + e.Message, e);
            }
        }

        /// <summary>CRLF when the first line break of the text is CRLF, else LF.</summary>
        public string Newline
        {
            get
            {
                int i = Text.IndexOf('\n');
                return i > 0 && Text[i - 1] == '\r' ? "\r\n" : "\n";
            }
        }

        /// <summary>The line (from 1) that holds <paramref name="offset"/>.</summary>
        public int LineOf(int offset)
        {
            int line = 1;
            for (int i = 0; i < offset && i < Text.Length; i++) if (Text[i] == '\n') line++;
            return line;
        }

        public int LineStart(int offset)
        {
            int i = offset;
            while (i > 0 && Text[i - 1] != '\n') i--;
            return i;
        }

        /// <summary>The white space at the start of the line that holds <paramref name="offset"/>.</summary>
        public string IndentOf(int offset)
        {
            int s = LineStart(offset);
            int e = s;
            while (e < Text.Length && (Text[e] == ' ' || Text[e] == '\t')) e++;
            return Text.Substring(s, e - s);
        }

        /// <summary>True when only spaces or tabs stand between the line start and the offset.</summary>
        public bool StartsLine(int offset)
        {
            int s = LineStart(offset);
            for (int i = s; i < offset; i++) if (Text[i] != ' ' && Text[i] != '\t') return false;
            return true;
        }

        private sealed class Scanner
        {
            private readonly string t;
            private readonly string file;
            private int p;

            public Scanner(string text, string fileName)
            {
                t = text;
                file = fileName;
            }

            private Exception Bad(string what)
            {
                return new XmlException("Filename: " + file + "\r\nError: " + what + " at offset " + p);
            }

            public XmlNode Run()
            {
                XmlNode root = null;
                var stack = new Stack<XmlNode>();
                while (p < t.Length)
                {
                    if (t[p] != '<')
                    {
                        int s = p;
                        while (p < t.Length && t[p] != '<') p++;
                        if (stack.Count > 0 && !IsWhite(s, p)) stack.Peek().HasOtherContent = true;
                        continue;
                    }
                    if (Starts("<?")) { Skip("?>"); MarkOther(stack); continue; }
                    if (Starts("<!--")) { Skip("-->"); MarkOther(stack); continue; }
                    if (Starts("<![CDATA[")) { Skip("]]>"); MarkOther(stack); continue; }
                    if (Starts("<!")) throw Bad("a DTD or declaration is not allowed");
                    if (Starts("</"))
                    {
                        var node = stack.Pop();
                        node.EndTagStart = p;
                        p += 2;
                        string name = ReadName();
                        if (name != node.Name) throw Bad("end tag </" + name + "> does not match <" + node.Name + ">");
                        SkipWs();
                        Expect('>');
                        node.End = p;
                        continue;
                    }
                    var el = new XmlNode { Start = p };
                    p++;
                    el.Name = ReadName();
                    el.NameEnd = p;
                    while (true)
                    {
                        int ws = p;
                        SkipWs();
                        if (Starts("/>"))
                        {
                            el.StartTagCloseWs = ws;
                            el.SelfClosing = true;
                            p += 2;
                            el.StartTagEnd = p;
                            el.EndTagStart = p;
                            el.End = p;
                            break;
                        }
                        if (Starts(">"))
                        {
                            el.StartTagCloseWs = ws;
                            p++;
                            el.StartTagEnd = p;
                            break;
                        }
                        if (ws == p) throw Bad("white space expected before an attribute");
                        var a = new XmlAttr { WsStart = ws, NameStart = p };
                        a.Name = ReadName();
                        SkipWs();
                        Expect('=');
                        SkipWs();
                        if (p >= t.Length || (t[p] != '"' && t[p] != '\'')) throw Bad("quote expected");
                        a.Quote = t[p];
                        p++;
                        a.ValueStart = p;
                        int close = t.IndexOf(a.Quote, p);
                        if (close < 0) throw Bad("unterminated attribute value");
                        a.ValueEnd = close;
                        a.Value = DecodeAttribute(t.Substring(a.ValueStart, a.ValueEnd - a.ValueStart));
                        p = close + 1;
                        el.Attrs.Add(a);
                    }
                    if (stack.Count > 0)
                    {
                        el.Parent = stack.Peek();
                        el.Parent.Children.Add(el);
                    }
                    else if (root == null) root = el;
                    else throw Bad("a second root element");
                    if (!el.SelfClosing) stack.Push(el);
                }
                if (stack.Count > 0 || root == null) throw Bad("unexpected end of document");
                return root;
            }

            private void MarkOther(Stack<XmlNode> stack)
            {
                if (stack.Count > 0) stack.Peek().HasOtherContent = true;
            }

            private bool IsWhite(int s, int e)
            {
                for (int i = s; i < e; i++) if (!IsWs(t[i])) return false;
                return true;
            }

            private static bool IsWs(char c)
            {
                return c == ' ' || c == '\t' || c == '\r' || c == '\n';
            }

            private bool Starts(string s)
            {
                return string.CompareOrdinal(t, p, s, 0, s.Length) == 0;
            }

            private void Skip(string terminator)
            {
                int i = t.IndexOf(terminator, p, StringComparison.Ordinal);
                if (i < 0) throw Bad("unterminated markup");
                p = i + terminator.Length;
            }

            private void SkipWs()
            {
                while (p < t.Length && IsWs(t[p])) p++;
            }

            private void Expect(char c)
            {
                if (p >= t.Length || t[p] != c) throw Bad("'" + c + "' expected");
                p++;
            }

            private string ReadName()
            {
                int s = p;
                while (p < t.Length && !IsWs(t[p]) && t[p] != '=' && t[p] != '>' && t[p] != '/' && t[p] != '<') p++;
                if (s == p) throw Bad("a name expected");
                return t.Substring(s, p - s);
            }
        }

        /// <summary>Expands references and normalises white space as an XML parser does in attribute values.</summary>
        public static string DecodeAttribute(string raw)
        {
            var sb = new StringBuilder(raw.Length);
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c == '\r')
                {
                    sb.Append(' ');
                    if (i + 1 < raw.Length && raw[i + 1] == '\n') i++;
                }
                else if (c == '\n' || c == '\t') sb.Append(' ');
                else if (c == '&')
                {
                    int semi = raw.IndexOf(';', i);
                    string entity = raw.Substring(i + 1, semi - i - 1);
                    i = semi;
                    switch (entity)
                    {
                        case "amp": sb.Append('&'); break;
                        case "lt": sb.Append('<'); break;
                        case "gt": sb.Append('>'); break;
                        case "quot": sb.Append('"'); break;
                        case "apos": sb.Append('\''); break;
                        default:
                            int code = entity.StartsWith("#x", StringComparison.Ordinal)
                                ? Convert.ToInt32(entity.Substring(2), 16)
                                : int.Parse(entity.Substring(1), System.Globalization.CultureInfo.InvariantCulture);
                            sb.Append(char.ConvertFromUtf32(code));
                            break;
                    }
                }
                else sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>Escapes a value for an attribute delimited by <paramref name="quote"/> (docs/file-edits.md).</summary>
        public static string EscapeAttribute(string value, char quote)
        {
            var sb = new StringBuilder(value.Length + 8);
            foreach (char c in value)
            {
                switch (c)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '\t': sb.Append("&#x9;"); break;
                    case '\n': sb.Append("&#xA;"); break;
                    case '\r': sb.Append("&#xD;"); break;
                    case '"': sb.Append(quote == '"' ? "&quot;" : "\""); break;
                    case '\'': sb.Append(quote == '\'' ? "&apos;" : "'"); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.ToString();
        }
    }
}
