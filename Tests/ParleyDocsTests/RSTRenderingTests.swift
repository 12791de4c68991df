import ParleyDocs
import Testing

/// reStructuredText: the seed's shape, and text from configuration that can never turn into markup.
@Suite struct RSTRenderingTests {
    @Test func hostileTextIsEscaped() {
        #expect(DocumentFormat.rst.render(HostileDocument.document) == ##"""
            ================================
            CRM\_ \*x\* \|y\| to <Shop> & Co
            ================================

            Generated: 2024-10-28 00:00:00

            \- 1. Order [a](b) #tag
            -----------------------

            \1. first \`tick\` a\|b x\_ ends\::

            set ``archived``\ to ``a|b``.\ ``<script>"q" & 'x'</script>``

            .. list-table::
               :header-rows: 1

               * - a\_ Property
                 - \<b>
               * - in_progress
                 - \#. item
               * - x\|y
                 - \* star & <i>

            """##)
    }

    @Test func underlinesCoverWideCharacters() {
        let document = DataflowDocument(title: "顧客 to 案件", generated: "2024-10-28 00:00:00", sections: [])
        #expect(DocumentFormat.rst.render(document) == """
            ============
            顧客 to 案件
            ============

            Generated: 2024-10-28 00:00:00

            """)
    }
}
