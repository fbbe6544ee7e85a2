-- Quarto's conditional content for the built-in renderer, which runs pandoc without Quarto:
--   ::: {.content-visible when-format="html"}   kept only in HTML (download links)
--   ::: {.content-hidden when-format="html"}    kept everywhere but HTML
-- also with unless-format. "html" matches pandoc's html writers; "typst" and "pdf" the typst
-- writer (the built-in renderer's PDF), as Quarto matches them for its formats.
local function matches(name)
  if name == nil then
    return nil
  end
  if FORMAT:match('html') then
    return name == 'html' or name == 'html5' or name == 'html:js'
  end
  if FORMAT:match('typst') then
    return name == 'typst' or name == 'pdf'
  end
  return name == FORMAT
end

function Div(div)
  local visible = div.classes:includes('content-visible')
  local hidden = div.classes:includes('content-hidden')
  if not visible and not hidden then
    return nil
  end
  local when = matches(div.attributes['when-format'])
  local unless = matches(div.attributes['unless-format'])
  local show
  if visible then
    show = (when ~= false) and (unless ~= true)
  else
    show = not ((when == true) or (unless == false))
  end
  if show then
    return div.content
  end
  return {}
end
