// Part of the test double of Microsoft.Web.Administration (see ../README.md).
// Turns the changes recorded on the elements into text edits of the original file, following
// docs/file-edits.md, so that the double writes the same bytes as iis-ftps's offline backend.
// Three passes, each on freshly scanned text: attributes, then elements left empty, then new
// elements.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Microsoft.Web.Administration
{
    internal static class Splicer
    {
        private sealed class Edit
        {
            public int Start;
            public int End;
            public string Text;
            /// <summary>Order among edits at the same offset: a lower one ends up first in the text.</summary>
            public int Order;
        }

        public static string Apply(XmlText doc, ConfigurationSection section)
        {
            var existing = new List<ConfigurationElement>();
            Collect(section, existing);

            // 1. Attributes of elements that are in the file.
            var edits = new List<Edit>();
            int order = 0;
            foreach (var el in existing) AttributeEdits(el, edits, ref order);
            string text = Splice(doc.Text, edits);

            // 2. Elements left with no attributes and nothing but white space inside.
            var removed = new HashSet<ConfigurationElement>();
            foreach (var el in existing.Where(LostAnAttribute)) RemoveIfEmpty(el, removed);
            if (removed.Count > 0)
            {
                var scanned = XmlText.Parse(text, "");
                edits = new List<Edit>();
                foreach (var el in removed.Where(e => !removed.Contains(e.ParentElement)))
                {
                    var node = scanned.Elements[el.Node.Index];
                    edits.Add(RemovalOf(scanned, node));
                }
                text = Splice(text, edits);
            }
            var removedIndexes = new List<int>();
            foreach (var el in removed) removedIndexes.Add(el.Node.Index);
            foreach (var el in existing.Where(e => e.Node != null && !removed.Contains(e) && IsBelowAny(e, removed))) removedIndexes.Add(el.Node.Index);

            // 3. New elements, under the deepest element of their path that is in the file.
            var parents = existing
                .Where(e => !removed.Contains(e) && e.Children.Any(IsNewWithContent))
                .Select(e => new { Element = e, Index = e.Node.Index - removedIndexes.Count(i => i < e.Node.Index) })
                .OrderByDescending(x => x.Index)
                .ToList();
            foreach (var p in parents)
            {
                var scanned = XmlText.Parse(text, "");
                text = Splice(text, new List<Edit> { Insertion(scanned, scanned.Elements[p.Index], p.Element) });
            }
            return text;
        }

        private static void Collect(ConfigurationElement el, List<ConfigurationElement> into)
        {
            if (el.Node == null) return;
            into.Add(el);
            foreach (var c in el.Children) Collect(c, into);
        }

        private static bool IsNewWithContent(ConfigurationElement el)
        {
            return el.Node == null && el.HasContentAfterChanges();
        }

        private static bool IsBelowAny(ConfigurationElement el, HashSet<ConfigurationElement> set)
        {
            for (var p = el.ParentElement; p != null; p = p.ParentElement) if (set.Contains(p)) return true;
            return false;
        }

        // ---- pass 1 -------------------------------------------------------------------------------

        private static void AttributeEdits(ConfigurationElement el, List<Edit> edits, ref int order)
        {
            var node = el.Node;
            int appendAt = node.Attrs.Count > 0 ? node.Attrs[node.Attrs.Count - 1].ValueEnd + 1 : node.NameEnd;
            foreach (var kv in el.Changes.OrderBy(kv => kv.Value.Seq))
            {
                var attr = node.FindAttr(kv.Key);
                string text = kv.Value.Text;
                if (attr != null)
                {
                    if (text == null)
                        edits.Add(new Edit { Start = attr.WsStart, End = attr.ValueEnd + 1, Text = "", Order = order++ });
                    else if (text != attr.Value)
                        edits.Add(new Edit { Start = attr.ValueStart, End = attr.ValueEnd, Text = XmlText.EscapeAttribute(text, attr.Quote), Order = order++ });
                }
                else if (text != null)
                {
                    edits.Add(new Edit { Start = appendAt, End = appendAt, Text = Attribute(kv.Key, text), Order = order++ });
                }
            }
        }

        private static string Attribute(string name, string value)
        {
            return " " + name + "=\"" + XmlText.EscapeAttribute(value, '"') + "\"";
        }

        // ---- pass 2 -------------------------------------------------------------------------------

        private static bool LostAnAttribute(ConfigurationElement el)
        {
            return el.Changes.Any(kv => kv.Value.Text == null && el.OriginalText(kv.Key) != null);
        }

        private static bool IsSiteLevel(ConfigurationElement el)
        {
            return el.ParentElement == null || el.TagName == "site" || el.TagName == "siteDefaults";
        }

        private static void RemoveIfEmpty(ConfigurationElement el, HashSet<ConfigurationElement> removed)
        {
            while (el != null && !IsSiteLevel(el) && !removed.Contains(el))
            {
                bool empty = !el.HasContentAfterChanges()
                    && !el.Node.HasOtherContent
                    && el.Children.All(c => c.Node == null || removed.Contains(c));
                if (!empty) return;
                removed.Add(el);
                el = el.ParentElement;
            }
        }

        /// <summary>The element, with its line(s) when nothing else stands on them.</summary>
        private static Edit RemovalOf(XmlText doc, XmlNode node)
        {
            string t = doc.Text;
            int start = node.Start;
            int end = node.End;
            if (doc.StartsLine(start))
            {
                int e = end;
                while (e < t.Length && (t[e] == ' ' || t[e] == '\t')) e++;
                int next = e == t.Length ? e
                    : t[e] == '\n' ? e + 1
                    : t[e] == '\r' && e + 1 < t.Length && t[e + 1] == '\n' ? e + 2
                    : -1;
                if (next >= 0)
                {
                    start = doc.LineStart(start);
                    end = next;
                }
            }
            return new Edit { Start = start, End = end, Text = "" };
        }

        // ---- pass 3 -------------------------------------------------------------------------------

        private static Edit Insertion(XmlText doc, XmlNode parent, ConfigurationElement parentElement)
        {
            string nl = doc.Newline;
            string parentIndent = doc.IndentOf(parent.Start);
            string baseUnit = "    ";
            if (parent.Parent != null)
            {
                string grand = doc.IndentOf(parent.Parent.Start);
                if (parentIndent.Length > grand.Length && parentIndent.StartsWith(grand, StringComparison.Ordinal))
                    baseUnit = parentIndent.Substring(grand.Length);
            }
            string childIndent = parent.Children.Count > 0 && doc.StartsLine(parent.Children[0].Start)
                ? doc.IndentOf(parent.Children[0].Start)
                : parentIndent + baseUnit;
            // Elements below the new ones go one unit deeper, the unit the parent's children show.
            string unit = childIndent.Length > parentIndent.Length && childIndent.StartsWith(parentIndent, StringComparison.Ordinal)
                ? childIndent.Substring(parentIndent.Length)
                : baseUnit;

            var news = parentElement.Children.Where(IsNewWithContent).ToList();
            var block = new StringBuilder();
            foreach (var c in news)
            {
                block.Append(nl);
                Render(c, childIndent, unit, nl, block);
            }

            if (parent.SelfClosing)
                return new Edit { Start = parent.StartTagCloseWs, End = parent.End, Text = ">" + block + nl + parentIndent + "</" + parent.Name + ">" };

            // An end tag on a line of its own: the new children go on lines just before that line.
            int lineStart = doc.LineStart(parent.EndTagStart);
            if (lineStart > parent.StartTagEnd && doc.StartsLine(parent.EndTagStart))
            {
                var lines = new StringBuilder();
                foreach (var c in news)
                {
                    Render(c, childIndent, unit, nl, lines);
                    lines.Append(nl);
                }
                return new Edit { Start = lineStart, End = lineStart, Text = lines.ToString() };
            }
            return new Edit { Start = parent.EndTagStart, End = parent.EndTagStart, Text = block + nl + parentIndent };
        }

        private static void Render(ConfigurationElement el, string indent, string unit, string nl, StringBuilder sb)
        {
            sb.Append(indent).Append('<').Append(el.TagName);
            foreach (var kv in el.Changes.Where(kv => kv.Value.Text != null).OrderBy(kv => kv.Value.Seq))
                sb.Append(Attribute(kv.Key, kv.Value.Text));
            var kids = el.Children.Where(IsNewWithContent).ToList();
            if (kids.Count == 0)
            {
                sb.Append(" />");
                return;
            }
            sb.Append('>');
            foreach (var k in kids)
            {
                sb.Append(nl);
                Render(k, indent + unit, unit, nl, sb);
            }
            sb.Append(nl).Append(indent).Append("</").Append(el.TagName).Append('>');
        }

        // ---- splicing -----------------------------------------------------------------------------

        private static string Splice(string text, List<Edit> edits)
        {
            if (edits.Count == 0) return text;
            var sorted = edits.OrderByDescending(e => e.Start).ThenByDescending(e => e.Order).ToList();
            var sb = new StringBuilder(text);
            foreach (var e in sorted)
            {
                sb.Remove(e.Start, e.End - e.Start);
                sb.Insert(e.Start, e.Text);
            }
            return sb.ToString();
        }
    }
}
