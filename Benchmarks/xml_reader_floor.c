/* The floor for reading XML into records through libxml2's xmlTextReader with an XSD: the
 * read loop xmllint --stream runs, plus what any record reader must fetch for each node (its
 * type; an element's name, namespace, attributes and line; a text's value) and nothing else.
 * Usage: xml_reader_floor SCHEMA FILE. Prints the node count and whether the file was valid. */
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <string.h>

static void count_error(void *data, xmlErrorPtr error) {
    (void)error;
    (*(long *)data)++;
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(argv[1]);
    xmlSchemaPtr schema = xmlSchemaParse(parser);
    xmlTextReaderPtr reader = xmlReaderForFile(argv[2], NULL, XML_PARSE_NONET);
    if (!schema || !reader) return 2;
    long errors = 0, nodes = 0, touched = 0;
    xmlTextReaderSetStructuredErrorHandler(reader, count_error, &errors);
    xmlTextReaderSetSchema(reader, schema);
    while (xmlTextReaderRead(reader) == 1) {
        nodes++;
        int type = xmlTextReaderNodeType(reader);
        if (type == XML_READER_TYPE_ELEMENT) {
            touched += strlen((const char *)xmlTextReaderConstLocalName(reader));
            touched += xmlTextReaderConstNamespaceUri(reader) != NULL;
            touched += xmlTextReaderIsEmptyElement(reader);
            if (xmlTextReaderHasAttributes(reader) == 1) {
                while (xmlTextReaderMoveToNextAttribute(reader) == 1) {
                    if (xmlTextReaderIsNamespaceDecl(reader) == 1) continue;
                    touched += strlen((const char *)xmlTextReaderConstName(reader));
                    touched += strlen((const char *)xmlTextReaderConstValue(reader));
                }
                xmlTextReaderMoveToElement(reader);
            }
            xmlNodePtr node = xmlTextReaderCurrentNode(reader);
            if (node) touched += xmlGetLineNo(node);
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            touched += strlen((const char *)xmlTextReaderConstValue(reader));
        }
    }
    printf("%ld nodes, %ld errors, valid %d (%ld)\n", nodes, errors, xmlTextReaderIsValid(reader), touched);
    xmlFreeTextReader(reader);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(parser);
    return 0;
}
