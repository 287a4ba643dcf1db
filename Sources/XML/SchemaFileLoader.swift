import CLibXML2
import Foundation
import Synchronization

/// libxml2's external-entity loader, replaced once for the process: it opens local files under
/// the folders schemas were compiled from, and nothing else — no HTTP or FTP (the schema
/// compiler would otherwise fetch an `xs:include` over the network), no file outside them.
enum SchemaFileLoader {
    private static let roots = Mutex<Set<String>>([])
    private static let installed = Mutex(false)

    /// Allows files under `root` (resolved) and installs the loader if it is not yet.
    static func allow(_ root: String) {
        let resolved = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        roots.withLock { _ = $0.insert(resolved.hasSuffix("/") ? String(resolved.dropLast()) : resolved) }
        installed.withLock { done in
            guard !done else { return }
            xmlSetExternalEntityLoader(load)
            done = true
        }
    }

    /// Whether a URL libxml2 asks for is a local file under an allowed folder; its path if so.
    static func permitted(_ url: String) -> String? {
        var path = url
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard !path.contains("://"), path.hasPrefix("/") else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return roots.withLock { roots in roots.contains { resolved.hasPrefix($0 + "/") } } ? resolved : nil
    }

    private static let load: xmlExternalEntityLoader = { url, _, context in
        guard let url, let path = SchemaFileLoader.permitted(String(cString: url)) else { return nil }
        return xmlNewInputFromFile(context, path)
    }
}
