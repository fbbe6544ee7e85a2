-- Pandoc's typst writer drops an image's alternative text, which PDF/UA-1 requires.
-- Emit the image ourselves with `alt:` taken from fig-alt (else the caption/description).
local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Image(img)
  if not FORMAT:match('typst') then
    return nil
  end
  local alt = img.attributes['fig-alt'] or pandoc.utils.stringify(img.caption)
  if alt == '' then
    error('Bilden ' .. img.src .. ' saknar alternativtext (fig-alt).')
  end
  local width = img.attributes['width'] or '100%'
  return pandoc.RawInline('typst', string.format('#image(%s, alt: %s, width: %s)',
    typst_string(img.src), typst_string(alt), width))
end

-- Status symbols carry their class colour as `[●]{style="color:#1E7E50"}`; pandoc's typst
-- writer drops span styles, so colour them here. The words beside them carry the meaning.
function Span(span)
  if not FORMAT:match('typst') then
    return nil
  end
  local colour = (span.attributes['style'] or ''):match('color:%s*(#%x+)')
  if not colour then
    return nil
  end
  local out = { pandoc.RawInline('typst', '#text(fill: rgb("' .. colour .. '"))[') }
  for _, element in ipairs(span.content) do
    table.insert(out, element)
  end
  table.insert(out, pandoc.RawInline('typst', ']'))
  return out
end

-- "Data saknas" and other callouts are fenced divs (Quarto draws them itself); give them the
-- same framed box in the built-in renderer's PDF.
function Div(div)
  if not FORMAT:match('typst') or not div.classes:find_if(function(c) return c:match('^callout') end) then
    return nil
  end
  local blocks = { pandoc.RawBlock('typst',
    '#block(width: 100%, inset: 10pt, radius: 3pt, fill: rgb("#fff4e5"), '
    .. 'stroke: (left: 3pt + rgb("#b35900")), breakable: false)[') }
  for _, block in ipairs(div.content) do
    table.insert(blocks, block)
  end
  table.insert(blocks, pandoc.RawBlock('typst', ']'))
  return blocks
end
