-- Text stays text in typst, on both paths (Quarto's `rus-typst` format and the built-in
-- renderer, which runs this very file): pandoc's typst writer leaves "..." (typst's ellipsis
-- shorthand) and a leading "12." (a numbered list) as they are, so imported text such as
-- "12. Övriga" or "Data ... saknas" would change meaning. Both are escaped here.

local function is_typst()
  return FORMAT:match('typst') ~= nil
end

-- "..." would become an ellipsis in typst: write its full stops escaped.
local function escape_dots(str)
  if not is_typst() or not str.text:find('..', 1, true) then
    return nil
  end
  local out = pandoc.List()
  for piece, dots in str.text:gmatch('([^.]*)(%.*)') do
    if piece ~= '' then
      out:insert(pandoc.Str(piece))
    end
    if dots ~= '' then
      out:insert(pandoc.RawInline('typst', string.rep('\\.', #dots)))
    end
  end
  return out
end

-- "12." at the start of a line would start a numbered list in typst: escape that full stop.
local function guard_list_start(inlines)
  local first = inlines[1]
  if first and first.t == 'Str' then
    local digits, rest = first.text:match('^(%d+)%.(.*)$')
    if digits then
      local replacement = pandoc.List({ pandoc.RawInline('typst', digits .. '\\.') })
      if rest ~= '' then
        replacement:insert(pandoc.Str(rest))
      end
      inlines:remove(1)
      for i = #replacement, 1, -1 do
        inlines:insert(1, replacement[i])
      end
    end
  end
  return inlines
end

local function guard_block(block)
  if is_typst() then
    block.content = guard_list_start(block.content)
    return block
  end
end

-- An analyst's comment (the div .rus-kommentar, rus_analysis/report/comments.py) is no part of
-- the report's numbering: a table without a caption takes no table number (pandoc's typst writer
-- puts every table in a figure of kind table; `numbering: none` does not step its counter) and
-- headings stay unnumbered. The built-in HTML does the same (rapport-html.lua).
local function comment(div)
  if not is_typst() or not div.classes:includes('rus-kommentar') then
    return nil
  end
  -- Its tables are the analyst's: narrow columns may hold long words, ids or addresses, so
  -- cells hyphenate (Swedish patterns, enough for real words) and a run of more than 24 letters
  -- or digits may also break after every 6th, where the report's own tables never hyphenate.
  local open = pandoc.RawBlock('typst', '#[\n'
    .. '#show table.cell: set text(hyphenate: true)\n'
    .. '#show table.cell: it => { show regex("[\\p{L}\\p{N}]{25,}"): w => '
    .. 'w.text.clusters().chunks(6).map(c => c.join()).join("\\u{ad}"); it }')
  div.content = div.content:walk({
    Header = function(h)
      if not h.classes:includes('unnumbered') then
        h.classes:insert('unnumbered')
      end
      return h
    end,
    Table = function(tbl)
      if pandoc.utils.stringify(tbl.caption.long) ~= '' then
        return nil
      end
      return { pandoc.RawBlock('typst', '#[#set figure(numbering: none)'), tbl, pandoc.RawBlock('typst', ']') }
    end,
  })
  div.content:insert(1, open)
  div.content:insert(pandoc.RawBlock('typst', ']'))
  return div
end

-- Passes: the comment's tables first; the list guard must see the paragraph's first Str before
-- the dots are split off.
return {
  { Div = comment },
  { Para = guard_block, Plain = guard_block },
  { Str = escape_dots },
}
