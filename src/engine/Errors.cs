// Errors of the engine: an exception that carries an iis-ftps error code (src/errors/errors.ts,
// docs/errors.md), and the one mapping of .NET exceptions to those codes.
//
// The mapping goes by exception type and HResult first and by message text last, because
// ServerManager's messages are localised: on a French or German Windows the words differ, the
// types and HResults do not. What ServerManager throws (as observed on IIS 10 and listed in
// test/doubles/mwa/README.md):
//   - a commit over a file that changed on disk since it was loaded: System.IO.FileLoadException
//     (HRESULT 0x800703EE, ERROR_FILE_INVALID), "Filename: \\?\C:\...\applicationHost.config"
//     CRLF "Error: Cannot commit configuration changes because the file has changed on disk";
//   - a file another process holds open: HRESULT 0x80070020 (ERROR_SHARING_VIOLATION), or
//     0x80070021 (ERROR_LOCK_VIOLATION), as a FileLoadException or an IOException;
//   - a malformed file, or one the schema refuses: System.Runtime.InteropServices.COMException,
//     HRESULT 0x8007000D (ERROR_INVALID_DATA), "Configuration file is not well-formed XML" or
//     "Unrecognized element 'ftpServer'" (no FTP schema), with a line number;
//   - without the FTP schema, GetChildElement("ftpServer"): COMException 0x80070585
//     (ERROR_INVALID_INDEX); Sites.cs turns that into FTP_NOT_INSTALLED.

namespace IisFtps.Engine
{
    using System;
    using System.IO;
    using System.Reflection;
    using System.Runtime.InteropServices;
    using System.Xml;

    /// <summary>An error carrying an iis-ftps error code.</summary>
    public class EngineException : InvalidOperationException
    {
        public readonly string Code;
        public readonly string Site;
        public int Line;
        public int Column;

        public EngineException(string code, string message)
            : this(code, message, null, null)
        {
        }

        public EngineException(string code, string message, Exception inner)
            : this(code, message, inner, null)
        {
        }

        public EngineException(string code, string message, Exception inner, string site)
            : base(message, inner)
        {
            Code = code;
            Site = site;
        }
    }

    public static class Errors
    {
        /// <summary>ERROR_SHARING_VIOLATION as an HRESULT: another process has the file open.</summary>
        public const int SharingViolation = unchecked((int)0x80070020);
        /// <summary>ERROR_LOCK_VIOLATION as an HRESULT: another process has locked part of the file.</summary>
        public const int LockViolation = unchecked((int)0x80070021);
        /// <summary>ERROR_INVALID_DATA as an HRESULT: what ServerManager reports for a file that is not well-formed XML.</summary>
        public const int InvalidData = unchecked((int)0x8007000D);

        /// <summary>The exception a call threw, without the reflection and task wrappers around it.</summary>
        public static Exception Innermost(Exception e)
        {
            while (e.InnerException != null && !(e is EngineException) &&
                   (e is TargetInvocationException || e is AggregateException || e is TypeInitializationException))
            {
                e = e.InnerException;
            }
            return e;
        }

        /// <summary>Whether an exception says that another process holds the file (sharing or lock violation).</summary>
        public static bool IsSharingViolation(Exception e)
        {
            return e.HResult == SharingViolation || e.HResult == LockViolation;
        }

        /// <summary>
        /// An exception thrown while working on a configuration file, as an EngineException with its
        /// code: by type and HResult first, by message text last. An EngineException passes through.
        /// </summary>
        public static EngineException Map(Exception error, string file)
        {
            Exception e = Innermost(error);
            EngineException coded = e as EngineException;
            if (coded != null) return coded;
            string where = string.IsNullOrEmpty(file) ? "The configuration" : file;
            // A sharing violation comes as a FileLoadException too (Marshal.GetExceptionForHR), so the HResult goes first.
            if (IsSharingViolation(e))
            {
                return new EngineException("CONFLICT", where + " is in use by another process (a sharing violation); nothing was written. Try again in a moment (the CLI's --retry does). (" + OneLine(e.Message) + ")", e);
            }
            if (e is FileLoadException)
            {
                return new EngineException("CONFLICT", where + " changed on disk after it was read, so ServerManager refused to commit; nothing was written. Read it again and repeat the change. (" + OneLine(e.Message) + ")", e);
            }
            if (e is COMException && e.HResult == InvalidData)
            {
                // The engine has read the file as well-formed XML before ServerManager opens it, so
                // this is ServerManager refusing what the file holds (its schema), with the line.
                return new EngineException("XML_MALFORMED", where + " is refused by ServerManager as invalid configuration: " + OneLine(e.Message), e);
            }
            XmlException xml = e as XmlException;
            if (xml != null)
            {
                bool dtd = e.Message.IndexOf("DTD", StringComparison.Ordinal) >= 0 || e.Message.IndexOf("DOCTYPE", StringComparison.Ordinal) >= 0;
                EngineException mapped = new EngineException(dtd ? "XML_DTD" : "XML_MALFORMED", where + (dtd ? " has a DTD, which is refused: " : " is not well-formed XML: ") + OneLine(e.Message), e);
                mapped.Line = xml.LineNumber;
                mapped.Column = xml.LinePosition;
                return mapped;
            }
            if (e.Message.IndexOf("changed on disk", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EngineException("CONFLICT", where + " changed on disk after it was read; nothing was written. Read it again and repeat the change. (" + OneLine(e.Message) + ")", e);
            }
            return new EngineException("BACKEND_FAILED", OneLine(e.Message), e);
        }

        /// <summary>{ code, message, dotnetType, site?, line?, column? } for any exception.</summary>
        public static JsonObject Info(Exception error)
        {
            EngineException e = Map(error, null);
            Exception cause = e;
            while (cause is EngineException && cause.InnerException != null) cause = Innermost(cause.InnerException);
            JsonObject info = new JsonObject();
            info.Add("code", e.Code);
            info.Add("message", e.Message);
            info.Add("dotnetType", cause.GetType().FullName);
            if (e.Site != null) info.Add("site", e.Site);
            if (e.Line > 0) info.Add("line", e.Line);
            if (e.Column > 0) info.Add("column", e.Column);
            return info;
        }

        /// <summary>A message on one line: ServerManager's own span several (file name, line, error).</summary>
        public static string OneLine(string message)
        {
            if (message == null) return "";
            string[] parts = message.Split(new char[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < parts.Length; i++) parts[i] = parts[i].Trim();
            return string.Join(" ", parts);
        }
    }
}
