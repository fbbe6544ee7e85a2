-- Quarto filter of the `rus-typst` format (typst books only).
--
-- Quarto marks every item of a book with file metadata (quarto.doc.file_metadata():
-- bookItemType "chapter" or "appendix") and puts an unnumbered divider heading ("Bilagor")
-- before the first appendix. The report has no divider page: the divider is replaced by
-- `#show: rus-appendices` (typst-template.typ), which numbers what follows "Bilaga A", "A.1".
-- The same mechanism as the orange-book extension bundled with Quarto
-- (quarto-cli src/resources/extension-subtrees/orange-book/_extensions/orange-book/orange-book.lua).

local appendices_started = false

local function start_appendices()
  appendices_started = true
  return pandoc.RawBlock('typst', '#show: rus-appendices')
end

local appendix_filter = {
  Header = function(el)
    if el.level ~= 1 or appendices_started or not quarto.doc.is_format('typst') then
      return nil
    end
    local state = quarto.doc.file_metadata()
    if state == nil or state.file == nil or state.file.bookItemType ~= 'appendix' then
      return nil
    end
    if el.classes:includes('unnumbered') then
      return start_appendices() -- the divider itself is not shown
    end
    return { start_appendices(), el }
  end
}

return quarto.utils.combineFilters({
  quarto.utils.file_metadata_filter(),
  appendix_filter
})
