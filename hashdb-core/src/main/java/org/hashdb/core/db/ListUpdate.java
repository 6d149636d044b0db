package org.hashdb.core.db;

import java.util.Objects;

/**
 * What {@link HashDatabase#update} does to one list, atomically and under one sequence number.
 *
 * <ul>
 *   <li>{@code full}: the entries given are the list's whole content. Entries on the list that
 *       are not given are removed from it (an equal value on another list stays there); given
 *       entries not on it are added; given entries already on it are kept as they are.
 *   <li>delta ({@code full} false): the given entries are added (those already on the list are
 *       kept), the given removals are taken off the list (values not on it are ignored). A value
 *       both added and removed is refused.
 * </ul>
 *
 * @param list the list changed
 * @param full whether the entries given are the whole list
 * @param release the release this change comes from, or null; its number must be above the
 *     last one imported for this list from the same signer unless it allows a rollback
 */
public record ListUpdate(String list, boolean full, ReleaseMark release) {
  public ListUpdate {
    Objects.requireNonNull(list, "list");
    EntryValidator.checkListName(list);
  }
}
