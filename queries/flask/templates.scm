; Templates rendered by Flask views: render_template("name.html", ...),
; also through a module alias (flask.render_template).
((call
   function: [(identifier) @callee
              (attribute attribute: (identifier) @callee)]
   arguments: (argument_list . (string (string_content) @arg)?))
 (#any-of? @callee "render_template" "render_template_string" "stream_template")
 (#set! kind "flask.template"))
