use super::*;

fn whole(xml: &str, method: Canonicalization) -> String {
    let doc = roxmltree::Document::parse(xml).expect("test data");
    String::from_utf8(canonicalize(doc.root(), &[], &method)).expect("test data")
}

const INCLUSIVE: Canonicalization = Canonicalization::Inclusive10 { comments: false };

#[test]
fn w3c_c14n_example_3_2_whitespace_in_document_content() {
    // C14N 1.0 spec, example 3.2 (without the DTD, which we refuse).
    let input = "<doc>\r\n   <clean>   </clean>\r\n   <dirty>   A   B   </dirty>\r\n   <mixed>\r\n      A\r\n      <clean>   </clean>\r\n      B\r\n      <dirty>   A   B   </dirty>\r\n      C\r\n   </mixed>\r\n</doc>";
    let expected = "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>";
    assert_eq!(whole(input, INCLUSIVE), expected);
}

#[test]
fn w3c_c14n_example_3_3_start_and_end_tags() {
    // C14N 1.0 spec, example 3.3, less the DTD-defaulted attributes.
    let input = r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#;
    let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
    assert_eq!(whole(input, INCLUSIVE), expected);
}

#[test]
fn w3c_c14n_example_3_4_character_modifications() {
    let input = "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n</doc>";
    let expected = "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n</doc>";
    assert_eq!(whole(input, INCLUSIVE), expected);
}

#[test]
fn processing_instructions_and_comments_outside_the_document_element() {
    let input = "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<!-- before -->\n<doc>Hello<!-- inside --></doc>\n<!-- after -->\n";
    assert_eq!(
        whole(input, INCLUSIVE),
        "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello</doc>"
    );
    assert_eq!(
        whole(input, Canonicalization::Inclusive10 { comments: true }),
        "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<!-- before -->\n<doc>Hello<!-- inside --></doc>\n<!-- after -->"
    );
}

#[test]
fn a_subtree_apex_carries_inherited_namespaces_inclusive_but_only_used_ones_exclusive() {
    let input = r#"<a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:default" xml:lang="zh"><b:child x="1"><inner/></b:child></a:root>"#;
    let doc = roxmltree::Document::parse(input).expect("test data");
    let child = doc.descendants().find(|n| n.tag_name().name() == "child").expect("test data");
    let inclusive = String::from_utf8(canonicalize(child, &[], &INCLUSIVE)).expect("test data");
    assert_eq!(
        inclusive,
        r#"<b:child xmlns="urn:default" xmlns:a="urn:a" xmlns:b="urn:b" x="1" xml:lang="zh"><inner></inner></b:child>"#
    );
    let exclusive = Canonicalization::Exclusive { comments: false, inclusive_prefixes: Vec::new() };
    let exclusive = String::from_utf8(canonicalize(child, &[], &exclusive)).expect("test data");
    assert_eq!(exclusive, r#"<b:child xmlns:b="urn:b" x="1"><inner xmlns="urn:default"></inner></b:child>"#);
}

#[test]
fn excluded_subtrees_leave_no_trace_but_their_surrounding_text_stays() {
    let input = "<a>\n  <keep>1</keep>\n  <drop><x/></drop>\n</a>";
    let doc = roxmltree::Document::parse(input).expect("test data");
    let drop = doc.descendants().find(|n| n.has_tag_name("drop")).expect("test data");
    let out = String::from_utf8(canonicalize(doc.root(), &[drop], &INCLUSIVE)).expect("test data");
    assert_eq!(out, "<a>\n  <keep>1</keep>\n  \n</a>");
}
