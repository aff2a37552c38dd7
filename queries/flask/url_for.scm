; url_for("endpoint") call sites in Python code: each is a reverse-URL lookup
; that must be rewritten to Django's reverse()/{% url %} during migration.
((call
   function: [(identifier) @callee
              (attribute attribute: (identifier) @callee)]
   arguments: (argument_list . (string (string_content) @arg)?))
 (#eq? @callee "url_for")
 (#set! kind "flask.url_for"))
