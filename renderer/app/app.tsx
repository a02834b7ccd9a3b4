import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { Button, Center, Loader, MantineProvider, Stack, Text } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications, notifications } from '@mantine/notifications';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DATE_LOCALES, currentLanguage } from '../i18n';
import { SetupPage } from '../features/auth/setup.page';
import { SignInPage } from '../features/auth/sign-in.page';
import { AppLayout } from './app-shell';
import { CurrentUserContext } from './current-user';
import { errorText } from './error-display';
import { queryClient } from './query-client';
import { onSessionExpired, orpc } from './rpc-client';
import { useToken } from './session';
import { SiteTimeZoneContext, siteStatusQueryOptions } from './site-time-zone';
import { theme } from './theme';
import { useSiteEvents } from './use-site-events';

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme}>
        <LocalizedDates>
          <Notifications position="top-center" />
          <Root />
        </LocalizedDates>
      </MantineProvider>
    </QueryClientProvider>
  );
}

function LocalizedDates({ children }: { children: ReactNode }) {
  // Re-render on language change so the date pickers follow the UI language.
  useTranslation();
  return (
    <DatesProvider settings={{ locale: DATE_LOCALES[currentLanguage()], firstDayOfWeek: 1 }}>
      {children}
    </DatesProvider>
  );
}

function Root() {
  const { t } = useTranslation();
  const token = useToken();

  useEffect(() => {
    onSessionExpired(() => {
      queryClient.clear();
      notifications.show({ color: 'yellow', message: t('auth.sessionExpired') });
    });
    return () => onSessionExpired(null);
  }, [t]);

  return token ? <SignedIn /> : <SignedOut />;
}

export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Stack align="center" gap="xs">
        <Loader />
        <Text c="dimmed">{t('common.loading')}</Text>
      </Stack>
    </Center>
  );
}

function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Stack align="center">
        <Text c="red" role="alert">
          {errorText(error, t)}
        </Text>
        <Button onClick={onRetry}>{t('common.retry')}</Button>
      </Stack>
    </Center>
  );
}

function SignedOut() {
  const status = useQuery(orpc.auth.status.queryOptions());
  if (status.isPending) return <FullPageLoader />;
  if (status.isError) return <FullPageError error={status.error} onRetry={() => void status.refetch()} />;
  if (status.data.needsSetup) return <SetupPage />;
  return <SignInPage siteName={status.data.siteName} demo={status.data.demo} />;
}

function SignedIn() {
  const me = useQuery(orpc.auth.me.queryOptions());
  // The site's time zone: every time on screen is shown, and every time typed is read, in it.
  const status = useQuery(siteStatusQueryOptions());
  useSiteEvents(me.isSuccess);
  if (me.isPending || status.isPending) return <FullPageLoader />;
  if (me.isError) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  if (status.isError) return <FullPageError error={status.error} onRetry={() => void status.refetch()} />;
  return (
    <CurrentUserContext value={me.data}>
      <SiteTimeZoneContext value={status.data.timeZone}>
        <AppLayout />
      </SiteTimeZoneContext>
    </CurrentUserContext>
  );
}
