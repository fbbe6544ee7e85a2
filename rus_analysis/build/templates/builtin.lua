-- The built-in renderer's pandoc filter (typst and HTML): what Quarto does itself on its path.
--
-- * Images: pandoc's typst writer drops the alternative text, which PDF/UA-1 requires; emit the
--   image with `alt:` from fig-alt (else the caption).
-- * Status symbols `[●]{style="color:#1E7E50"}`: pandoc's typst writer drops span styles; colour
--   them (the words beside them carry the meaning).
-- * Callouts (`::: {.callout-warning}` with a first heading as title, as Quarto reads them):
--   typst gets `#callout(title:, body:)` from the shared typst-template.typ, the very function
--   Quarto's output calls; HTML gets a titled box whose title is not a heading.
-- * Appendices: the chapter heading marked `.bilaga` (markdown.mark_appendix) starts them. typst
--   gets `#show: rus-appendices` (numbers "Bilaga A", "A.1", as the Quarto path); HTML gets the
--   numbers written into unnumbered headings.
-- * Text stays text in typst: the extension's typst-text.lua (run before this filter, as on the
--   Quarto path) escapes "..." and a leading "12.". Image paths are decoded
--   from the percent-encoding pandoc's reader gives them ("RUS%20uppf..."), as pandoc itself does
--   when it embeds an image in HTML.

-- A typst string literal: backslash, quote and every control character escaped.
local function typst_string(s)
  s = s:gsub('\\', '\\\\'):gsub('"', '\\"')
  s = s:gsub('%c', function(c) return string.format('\\u{%x}', c:byte()) end)
  return '"' .. s .. '"'
end

-- A link destination as the file name it stands for: %XX decoded.
local function file_path(src)
  return (src:gsub('%%(%x%x)', function(hex) return string.char(tonumber(hex, 16)) end))
end

-- A width typst understands (our own Markdown writes "100%"); anything else is the full width.
local function typst_length(width)
  for _, unit in ipairs({ '%%', 'pt', 'mm', 'cm', 'in', 'em' }) do
    if width and width:match('^%d+%.?%d*' .. unit .. '$') then
      return width
    end
  end
  return '100%'
end

local function is_typst()
  return FORMAT:match('typst') ~= nil
end

function Image(img)
  if not is_typst() then
    return nil
  end
  local alt = img.attributes['fig-alt'] or pandoc.utils.stringify(img.caption)
  if alt == '' then
    error('Bilden ' .. img.src .. ' saknar alternativtext (fig-alt).')
  end
  return pandoc.RawInline('typst', string.format('#image(%s, alt: %s, width: %s)',
    typst_string(file_path(img.src)), typst_string(alt), typst_length(img.attributes['width'])))
end

function Span(span)
  if not is_typst() then
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

local function callout_parts(div)
  local title = nil
  local body = pandoc.List()
  for index, block in ipairs(div.content) do
    if index == 1 and block.t == 'Header' then
      title = block.content
    else
      body:insert(block)
    end
  end
  if title == nil and div.attributes['title'] then
    title = pandoc.Inlines(div.attributes['title'])
  end
  return title, body
end

function Div(div)
  if not div.classes:find_if(function(c) return c:match('^callout') end) then
    return nil
  end
  local title, body = callout_parts(div)
  if is_typst() then
    local blocks = pandoc.List({ pandoc.RawBlock('typst', '#callout(') })
    if title then
      blocks:insert(pandoc.Plain(pandoc.List({ pandoc.RawInline('typst', 'title: [') })
        .. title .. pandoc.List({ pandoc.RawInline('typst', '],') })))
    end
    blocks:insert(pandoc.RawBlock('typst', 'body: ['))
    blocks:extend(body)
    blocks:insert(pandoc.RawBlock('typst', '])'))
    return blocks
  end
  local content = pandoc.List()
  if title then
    content:insert(pandoc.Div(pandoc.Para({ pandoc.Strong(title) }), pandoc.Attr('', { 'callout-title' })))
  end
  content:extend(body)
  div.attributes['title'] = nil
  div.content = content
  return div
end

-- Appendices, in document order (a Pandoc filter that walks the blocks once).
function Pandoc(doc)
  local letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  local appendix = 0
  local section = 0
  local blocks = pandoc.List()
  for _, block in ipairs(doc.blocks) do
    if block.t == 'Header' and block.level == 1 and block.classes:includes('bilaga') then
      appendix = appendix + 1
      section = 0
      block.classes = block.classes:filter(function(c) return c ~= 'bilaga' end)
      if is_typst() and appendix == 1 then
        blocks:insert(pandoc.RawBlock('typst', '#show: rus-appendices'))
      end
    end
    if appendix > 0 and block.t == 'Header' and not is_typst()
        and not block.classes:includes('unnumbered') then
      local letter = letters:sub(appendix, appendix)
      local number = nil
      if block.level == 1 then
        number = 'Bilaga ' .. letter
      elseif block.level == 2 then
        section = section + 1
        number = letter .. '.' .. section
      end
      block.classes:insert('unnumbered')
      if number then
        block.content = pandoc.List({ pandoc.Span(pandoc.Str(number), pandoc.Attr('', { 'header-section-number' })),
          pandoc.Space() }) .. block.content
      end
    end
    blocks:insert(block)
  end
  doc.blocks = blocks
  return doc
end
