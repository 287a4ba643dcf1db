#ifndef HAFEN_CLIBXML2_SHIM_H
#define HAFEN_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU; its headers would pull in the system's ICU, which clashes
// with the ICU Foundation bundles. Hafen uses no ICU-dependent libxml2 API.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlmemory.h>

// xmlFree is a global function-pointer variable, which Swift 6 refuses to call as a global;
// this wrapper is the one way Hafen frees memory libxml2 allocated.
static inline void hafen_xml_free(void *pointer) {
    xmlFree(pointer);
}

#endif
