import CLibXML2
import Foundation
import Synchronization

/// libxml2's external-entity loader, replaced once for the process. It opens local files under
/// the folders of the schema being compiled, and nothing else: no HTTP or FTP (the schema
/// compiler would otherwise fetch an `xs:include` over the network), no file outside that
/// folder, and nothing at all outside a compilation (documents are read without DTDs).
enum SchemaFileLoader {
    /// The folders files may come from while a schema compiles; empty otherwise. Compilations
    /// take turns (they are rare: once per schema), so the loader always knows whose they are.
    private static let current = Mutex<[String]>([])
    private static let turn = Mutex(())
    private static let installed = Mutex(false)

    /// Runs a compilation that may read files under the `roots` folders.
    static func compiling<T>(under roots: [String], _ body: () throws(XMLError) -> T) throws(XMLError) -> T {
        installed.withLock { done in
            guard !done else { return }
            xmlSetExternalEntityLoader(load)
            done = true
        }
        // The file system's root is never a schema folder: it would allow every file.
        let folders = roots.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }.filter { $0 != "/" }
        return try turn.withLock { _ throws(XMLError) -> T in
            current.withLock { $0 = folders }
            defer { current.withLock { $0 = [] } }
            return try body()
        }
    }

    /// Whether a URL libxml2 asks for is a local file under the compiling schema's folders; its
    /// path if so.
    static func permitted(_ url: String) -> String? {
        var path = url
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard !path.contains("://"), path.hasPrefix("/") else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return current.withLock { folders in folders.contains { resolved.hasPrefix($0 + "/") } } ? resolved : nil
    }

    private static let load: xmlExternalEntityLoader = { url, _, context in
        guard let url, let path = SchemaFileLoader.permitted(String(cString: url)) else { return nil }
        return xmlNewInputFromFile(context, path)
    }
}
