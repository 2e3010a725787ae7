// Part of the test double of Microsoft.Web.Administration (see ../README.md).
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace Microsoft.Web.Administration
{
    /// <summary>An element of the configuration: one in the file, or one created by GetChildElement.</summary>
    public class ConfigurationElement
    {
        internal readonly Configuration Config;
        internal readonly ConfigurationElement ParentElement;
        /// <summary>The element in the file as loaded, or null for one that is not in the file yet.</summary>
        internal readonly XmlNode Node;
        internal readonly string TagName;
        /// <summary>For elements not in the file: the order in which they were first asked for.</summary>
        internal readonly int CreatedSeq;

        /// <summary>Set or deleted attributes: name -> text (null = deleted).</summary>
        internal readonly Dictionary<string, AttributeChange> Changes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal);
        internal readonly List<ConfigurationElement> Children = new List<ConfigurationElement>();

        internal sealed class AttributeChange
        {
            public string Text;
            public int Seq;
        }

        internal ConfigurationElement(Configuration config, ConfigurationElement parent, XmlNode node, string tagName, int createdSeq)
        {
            Config = config;
            ParentElement = parent;
            Node = node;
            TagName = tagName;
            CreatedSeq = createdSeq;
            if (node != null)
                foreach (var child in node.Children) Children.Add(config.Wrap(this, child));
        }

        public string ElementTagName { get { return TagName; } }

        public object this[string attributeName]
        {
            get { return GetAttributeValue(attributeName); }
            set { SetAttributeValue(attributeName, value); }
        }

        public ConfigurationAttributeCollection Attributes
        {
            get
            {
                var names = new List<string>();
                foreach (var a in Schema.AttributesOf(TagName)) names.Add(a.Name);
                if (Node != null) foreach (var a in Node.Attrs) if (!names.Contains(a.Name)) names.Add(a.Name);
                foreach (var kv in Changes.OrderBy(kv => kv.Value.Seq)) if (!names.Contains(kv.Key)) names.Add(kv.Key);
                return new ConfigurationAttributeCollection(names.Select(n => new ConfigurationAttribute(this, n)).ToList());
            }
        }

        public ConfigurationChildElementCollection ChildElements
        {
            get { return new ConfigurationChildElementCollection(Children.ToList()); }
        }

        public ConfigurationAttribute GetAttribute(string attributeName)
        {
            if (string.IsNullOrEmpty(attributeName)) throw new ArgumentException("An attribute name is required.", "attributeName");
            return new ConfigurationAttribute(this, attributeName);
        }

        public object GetAttributeValue(string attributeName)
        {
            return GetAttribute(attributeName).Value;
        }

        public void SetAttributeValue(string attributeName, object value)
        {
            GetAttribute(attributeName).Value = value;
        }

        /// <summary>
        /// The first child element with that name. A missing one is created in memory; it reaches the
        /// file only if it (or an element below it) ends up with an attribute set.
        /// </summary>
        public ConfigurationElement GetChildElement(string elementName)
        {
            if (string.IsNullOrEmpty(elementName)) throw new ArgumentException("An element name is required.", "elementName");
            // Without the FTP schema, ftpServer is no child element of a site: the native
            // IAppHostChildElementCollection::Item fails with ERROR_INVALID_INDEX ([MS-IISA] 3.1.4.3.2).
            if (!Config.FtpInstalled && elementName == "ftpServer" && IsSiteLevel)
                throw new COMException("Invalid index. (Exception from HRESULT: 0x80070585)", unchecked((int)0x80070585));
            foreach (var c in Children) if (c.TagName == elementName) return c;
            var created = new ConfigurationElement(Config, this, null, elementName, Config.NextSeq());
            Children.Add(created);
            return created;
        }

        public ConfigurationElementCollection GetCollection()
        {
            return new ConfigurationElementCollection(this);
        }

        public ConfigurationElementCollection GetCollection(string collectionName)
        {
            return GetChildElement(collectionName).GetCollection();
        }

        // ---- attribute state --------------------------------------------------------------------

        /// <summary>The attribute's text now (after changes), or null when it is not set here.</summary>
        internal string CurrentText(string name)
        {
            AttributeChange change;
            if (Changes.TryGetValue(name, out change)) return change.Text;
            return OriginalText(name);
        }

        /// <summary>A site (an entry of the sites collection) or siteDefaults.</summary>
        internal bool IsSiteLevel
        {
            get { return ParentElement is ConfigurationSection && (TagName == "site" || TagName == "siteDefaults"); }
        }

        /// <summary>Entries of collections below a site, which siteDefaults does not reach.</summary>
        private static readonly HashSet<string> CollectionEntries = new HashSet<string>(StringComparer.Ordinal) { "bindings", "binding", "application", "virtualDirectory", "add" };

        /// <summary>
        /// For a site or an element below it: the element at the same path below siteDefaults (the
        /// collection default of sites, isCollectionDefault in IIS's schema), without creating it;
        /// null when there is none, or for elements that are not below a site.
        /// </summary>
        internal ConfigurationElement SiteDefaultsCounterpart()
        {
            var path = new List<string>();
            var el = this;
            while (el != null && !(el.TagName == "site" && el.ParentElement is ConfigurationSection))
            {
                if (CollectionEntries.Contains(el.TagName) || el.ParentElement == null) return null;
                path.Add(el.TagName);
                el = el.ParentElement;
            }
            if (el == null) return null;
            var node = el.ParentElement.Children.FirstOrDefault(c => c.TagName == "siteDefaults");
            for (int i = path.Count - 1; i >= 0 && node != null; i--)
            {
                var name = path[i];
                node = node.Children.FirstOrDefault(c => c.TagName == name);
            }
            return node;
        }

        /// <summary>The text that applies to an attribute here: this element's, else siteDefaults' (for a site), else null.</summary>
        internal string EffectiveText(string name)
        {
            var own = CurrentText(name);
            if (own != null) return own;
            var defaults = SiteDefaultsCounterpart();
            return defaults == null ? null : defaults.CurrentText(name);
        }

        internal string OriginalText(string name)
        {
            if (Node == null) return null;
            var a = Node.FindAttr(name);
            return a == null ? null : a.Value;
        }

        internal void Record(string name, string text)
        {
            Config.CheckWritable();
            AttributeChange change;
            if (Changes.TryGetValue(name, out change)) change.Text = text;
            else Changes[name] = new AttributeChange { Text = text, Seq = Config.NextSeq() };
        }

        /// <summary>True when this element, or one below it, holds an attribute after the changes.</summary>
        internal bool HasContentAfterChanges()
        {
            if (Node != null)
                foreach (var a in Node.Attrs) if (CurrentText(a.Name) != null) return true;
            foreach (var kv in Changes) if (kv.Value.Text != null) return true;
            return Children.Any(c => c.Node == null && c.HasContentAfterChanges());
        }

        public override string ToString()
        {
            return "<" + TagName + ">";
        }
    }

    public sealed class ConfigurationAttribute
    {
        private readonly ConfigurationElement owner;
        private readonly AttrSchema schema;

        internal ConfigurationAttribute(ConfigurationElement owner, string name)
        {
            this.owner = owner;
            schema = Schema.Find(owner.TagName, name);
        }

        public string Name { get { return schema.Name; } }

        /// <summary>
        /// True only where the schema default applies: neither this element nor (for a site)
        /// siteDefaults sets the attribute. A value that comes from siteDefaults is not the schema
        /// default, so it reads false, as on real IIS.
        /// </summary>
        public bool IsInheritedFromDefaultValue { get { return owner.EffectiveText(schema.Name) == null; } }

        /// <summary>The merged value: this element's, else siteDefaults' (for a site), else the schema default.</summary>
        public object Value
        {
            get
            {
                var text = owner.EffectiveText(schema.Name);
                return text == null ? schema.DefaultValue : Schema.Parse(schema, text);
            }
            set { owner.Record(schema.Name, Schema.Format(schema, value)); }
        }

        /// <summary>
        /// Removes the attribute from this element, so it inherits again (from siteDefaults, for a
        /// site). On an element that does not set it, it does nothing.
        /// </summary>
        public void Delete()
        {
            owner.Config.CheckWritable();
            if (owner.CurrentText(schema.Name) == null) return;
            owner.Record(schema.Name, null);
        }

        public override string ToString()
        {
            return Name;
        }
    }

    /// <summary>A read-only list of attributes or elements, by index or by name.</summary>
    public abstract class ConfigurationNamedList<T> : IEnumerable<T>
    {
        private readonly List<T> items;
        private readonly Func<T, string> nameOf;

        internal ConfigurationNamedList(List<T> items, Func<T, string> nameOf)
        {
            this.items = items;
            this.nameOf = nameOf;
        }

        public int Count { get { return items.Count; } }

        public T this[int index] { get { return items[index]; } }

        /// <summary>The first item with that name, or null.</summary>
        public T this[string name] { get { return items.FirstOrDefault(i => nameOf(i) == name); } }

        public IEnumerator<T> GetEnumerator() { return items.GetEnumerator(); }

        IEnumerator IEnumerable.GetEnumerator() { return GetEnumerator(); }
    }

    public sealed class ConfigurationAttributeCollection : ConfigurationNamedList<ConfigurationAttribute>
    {
        internal ConfigurationAttributeCollection(List<ConfigurationAttribute> items) : base(items, a => a.Name) { }
    }

    public sealed class ConfigurationChildElementCollection : ConfigurationNamedList<ConfigurationElement>
    {
        internal ConfigurationChildElementCollection(List<ConfigurationElement> items) : base(items, e => e.ElementTagName) { }
    }

    /// <summary>
    /// The entries of a collection element (<c>site</c> in <c>sites</c>, <c>binding</c> in
    /// <c>bindings</c>, <c>add</c> elsewhere), in file order. Adding and removing entries is not
    /// part of the double.
    /// </summary>
    public sealed class ConfigurationElementCollection : IEnumerable<ConfigurationElement>
    {
        private readonly ConfigurationElement owner;

        internal ConfigurationElementCollection(ConfigurationElement owner)
        {
            this.owner = owner;
        }

        private string ItemName
        {
            get
            {
                switch (owner.TagName)
                {
                    case "sites": return "site";
                    case "bindings": return "binding";
                    default: return "add";
                }
            }
        }

        private List<ConfigurationElement> Items
        {
            get { return owner.Children.Where(c => c.TagName == ItemName && c.Node != null).ToList(); }
        }

        public int Count { get { return Items.Count; } }

        public ConfigurationElement this[int index] { get { return Items[index]; } }

        public string ElementTagName { get { return owner.TagName; } }

        public IEnumerator<ConfigurationElement> GetEnumerator() { return Items.GetEnumerator(); }

        IEnumerator IEnumerable.GetEnumerator() { return GetEnumerator(); }
    }

    /// <summary>A configuration section, e.g. <c>system.applicationHost/sites</c>.</summary>
    public sealed class ConfigurationSection : ConfigurationElement
    {
        internal ConfigurationSection(Configuration config, XmlNode node, string path)
            : base(config, null, node, node.Name, 0)
        {
            SectionPath = path;
        }

        public string SectionPath { get; private set; }
    }
}
