import { createTheme, InputWrapper } from '@mantine/core';
import classes from './theme.module.css';

const FONT_FAMILY =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

/** For required inputs that have no native required <input> (MultiSelect, DatePickerInput, groups). */
export const REQUIRED_LABEL = { 'data-required-field': true };

/** The one Mantine theme. Fonts fall back to the CJK faces Windows and Linux ship. */
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: FONT_FAMILY,
  headings: { fontFamily: FONT_FAMILY },
  components: {
    // Labels hold exactly their text; the required star comes from CSS (theme.module.css).
    InputWrapper: InputWrapper.extend({
      defaultProps: { withAsterisk: false },
      classNames: { root: classes.inputRoot, label: classes.inputLabel },
    }),
  },
});
