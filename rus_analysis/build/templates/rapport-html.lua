-- The built-in renderer's HTML for every reader (issue 14: WCAG 2.1 1.4.10 Reflow, phones).
--
-- 1. Captions are numbered as the PDF numbers them (the typst layout of _extensions/rus):
--    "Figur 2.1: " for a figure with an image, "Tabell 2.1: " for every table (pandoc's typst
--    writer puts every table, captioned or not, in a figure of kind table, so an uncaptioned
--    table takes a number too). The prefix is the chapter's number, or its letter from the
--    first appendix on (the heading marked .bilaga); both counters restart at every level-1
--    heading, numbered or not, as typst's do. Runs before builtin.lua, which unmarks .bilaga.
--    An analyst's comment (the div .rus-kommentar, report/comments.py) is no part of that
--    numbering: its uncaptioned tables take no number (as in the PDF, _extensions/rus/
--    typst-text.lua) and its headings stay unnumbered, so the report's own tables are numbered
--    the same with or without comments.
-- 2. Every table sits in its own scroll container, focusable and labelled
--    (<div class="tabell" role="region" aria-label="Tabell n: …" tabindex="0">): a wide table
--    scrolls inside it, never the page (axe: scrollable-region-focusable).
-- 3. A chart whose print image figurer/x.svg (or .png) has a sibling x.phone.svg shows the phone
--    drawing (360 px wide, text at its true size) on narrow screens and the print drawing,
--    scaled to the column, elsewhere (rapport.css); pandoc embeds both, so the HTML stays one file.
local figures, tables = 0, 0
local chapter, appendix = 0, 0
local LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

local function prefix_number()
  if appendix > 0 then
    return LETTERS:sub(appendix, appendix)
  end
  return tostring(chapter)
end

local function header(h)
  if h.level ~= 1 then
    return nil
  end
  figures, tables = 0, 0
  if h.classes:includes('bilaga') then
    appendix = appendix + 1
  elseif not h.classes:includes('unnumbered') then
    if appendix > 0 then
      appendix = appendix + 1
    else
      chapter = chapter + 1
    end
  end
  return nil
end

local function exists(path)
  local handle = io.open(path, 'rb')
  if handle then
    handle:close()
    return true
  end
  return false
end

-- A link destination as the file it names: pandoc's reader percent-encodes spaces ("%20");
-- pandoc runs in the build folder, to which image paths are relative.
local function file_path(src)
  return (src:gsub('%%(%x%x)', function(hex) return string.char(tonumber(hex, 16)) end))
end

local function escape_attribute(text)
  return (text:gsub('&', '&amp;'):gsub('"', '&quot;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

local function prefix(blocks, words)
  local label = { pandoc.Str(words), pandoc.Space() }
  if #blocks == 0 then
    return { pandoc.Plain(label) }
  end
  local first = blocks[1]
  if first.t == 'Plain' or first.t == 'Para' then
    local inlines = pandoc.List(label)
    inlines:extend(first.content)
    first.content = inlines
  end
  return blocks
end

local function responsive(img)
  local screen = img.src
  local phone = img.src:gsub('%.[%w]+$', '.phone.svg')
  if phone == img.src or not exists(file_path(phone)) then
    return nil
  end
  local alt = escape_attribute(img.attributes['alt'] or img.attributes['fig-alt']
    or pandoc.utils.stringify(img.caption))
  -- Two drawings, one shown by the stylesheet's media query; the hidden one (display: none) is
  -- hidden from screen readers too. pandoc --embed-resources embeds both.
  return pandoc.RawInline('html', string.format(
    '<img class="diagram diagram-skarm" src="%s" alt="%s">'
    .. '<img class="diagram diagram-telefon" src="%s" alt="%s">',
    escape_attribute(screen), alt, escape_attribute(phone), alt))
end

local function figure(fig)
  local has_image = false
  fig.content = fig.content:walk({
    Image = function(img)
      has_image = true
      return responsive(img)
    end,
  })
  if has_image then
    figures = figures + 1
    fig.caption.long = prefix(fig.caption.long, 'Figur ' .. prefix_number() .. '.' .. figures .. ':')
  end
  return fig
end

local function tabell(tbl)
  tables = tables + 1
  local number = 'Tabell ' .. prefix_number() .. '.' .. tables
  local caption = pandoc.utils.stringify(tbl.caption.long)
  if caption ~= '' then
    tbl.caption.long = prefix(tbl.caption.long, number .. ':')
  end
  local label = caption ~= '' and (number .. ': ' .. caption) or number
  -- A list of pairs, not a table: Lua's pairs() order differs per run, and the HTML must not.
  local attributes = { { 'role', 'region' }, { 'aria-label', label }, { 'tabindex', '0' } }
  return pandoc.Div({ tbl }, pandoc.Attr('', { 'tabell' }, attributes)), false
end

-- A comment's table without a caption: the scroll container, but no number.
local function uncounted(tbl)
  local attributes = { { 'role', 'region' }, { 'aria-label', 'Tabell i analysen' }, { 'tabindex', '0' } }
  return pandoc.Div({ tbl }, pandoc.Attr('', { 'tabell' }, attributes))
end

-- A word of more than 24 characters in an analyst's table gets a soft hyphen after every 6th, as
-- in the PDF (typst-text.lua): a narrow column then breaks an id or an address instead of making
-- the table thousands of pixels wide. Shorter words are left whole.
local function breakable(str)
  local length = utf8.len(str.text)
  if length == nil or length <= 24 then
    return nil
  end
  local pieces, piece = {}, {}
  for _, code in utf8.codes(str.text) do
    piece[#piece + 1] = utf8.char(code)
    if #piece == 6 then
      pieces[#pieces + 1] = table.concat(piece)
      piece = {}
    end
  end
  if #piece > 0 then
    pieces[#pieces + 1] = table.concat(piece)
  end
  str.text = table.concat(pieces, '\u{AD}')
  return str
end

local function comment(div)
  if not div.classes:includes('rus-kommentar') then
    return nil
  end
  div.content = div.content:walk({
    traverse = 'topdown',
    Header = function(h)
      if not h.classes:includes('unnumbered') then
        h.classes:insert('unnumbered')
      end
      return h
    end,
    Figure = figure,
    Table = function(tbl)
      tbl = tbl:walk({ Str = breakable })
      if pandoc.utils.stringify(tbl.caption.long) == '' then
        return uncounted(tbl), false
      end
      return tabell(tbl)
    end,
  })
  return div, false
end

return {
  {
    traverse = 'topdown',
    Div = comment,
    Header = header,
    Figure = figure,
    Table = tabell,
  },
}
