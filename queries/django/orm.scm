; Django ORM call sites: Model.objects.<method>(...). The Django->Flask plan
; counts them per model to show how much code must switch to HTTP calls.
((call
   function: (attribute
     object: (attribute
       object: [(identifier) @arg
                (attribute attribute: (identifier) @arg)]
       attribute: (identifier) @manager)
     attribute: (identifier) @callee))
 (#eq? @manager "objects")
 (#set! kind "django.orm"))
