import CLibXML2
import Foundation
import Synchronization

/// libxml2's external-entity loader, replaced once for the process. It opens local files under
/// the folder of the schema being compiled, and nothing else: no HTTP or FTP (the schema
/// compiler would otherwise fetch an `xs:include` over the network), no file outside that
/// folder, and nothing at all outside a compilation (documents are read without DTDs).
enum SchemaFileLoader {
    /// The folder files may come from while a schema compiles; nil otherwise. Compilations take
    /// turns (they are rare: once per schema), so the loader always knows whose folder it is.
    private static let current = Mutex<String?>(nil)
    private static let turn = Mutex(())
    private static let installed = Mutex(false)

    /// Runs a compilation that may read files under `root`.
    static func compiling<T>(under root: String, _ body: () throws(XMLError) -> T) throws(XMLError) -> T {
        installed.withLock { done in
            guard !done else { return }
            xmlSetExternalEntityLoader(load)
            done = true
        }
        let resolved = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        // The file system's root is never a schema folder: it would allow every file.
        let folder = resolved == "/" ? nil : resolved
        return try turn.withLock { _ throws(XMLError) -> T in
            current.withLock { $0 = folder }
            defer { current.withLock { $0 = nil } }
            return try body()
        }
    }

    /// Whether a URL libxml2 asks for is a local file under the compiling schema's folder; its
    /// path if so.
    static func permitted(_ url: String) -> String? {
        var path = url
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard !path.contains("://"), path.hasPrefix("/") else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return current.withLock { folder in folder.map { resolved.hasPrefix($0 + "/") } ?? false } ? resolved : nil
    }

    private static let load: xmlExternalEntityLoader = { url, _, context in
        guard let url, let path = SchemaFileLoader.permitted(String(cString: url)) else { return nil }
        return xmlNewInputFromFile(context, path)
    }
}
