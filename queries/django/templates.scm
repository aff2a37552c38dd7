; Templates rendered by Django views: render(request, "t.html"),
; render_to_string("t.html"), TemplateResponse(request, "t.html"), get_template("t.html").
((call
   function: [(identifier) @callee
              (attribute attribute: (identifier) @callee)]
   arguments: (argument_list . (_) . (string (string_content) @arg)))
 (#any-of? @callee "render" "TemplateResponse" "render_to_response")
 (#set! kind "django.template"))

((call
   function: [(identifier) @callee
              (attribute attribute: (identifier) @callee)]
   arguments: (argument_list . (string (string_content) @arg)))
 (#any-of? @callee "render_to_string" "get_template" "select_template")
 (#set! kind "django.template"))
