import { useEffect } from 'react';
import { AppShell, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ChangePasswordModal } from '../features/auth/change-password-modal';
import { canAccess } from './access';
import { useCurrentUser } from './current-user';
import { LanguageSwitch } from './language-switch';
import { queryClient } from './query-client';
import { client, orpc } from './rpc-client';
import { DEFAULT_PATH, PAGES, findPage } from './routes';
import { href, navigate, useRoute } from './router';
import { clearToken } from './session';

async function signOut(): Promise<void> {
  try {
    await client.auth.signOut();
  } catch {
    // The session is dropped locally either way.
  }
  clearToken();
  queryClient.clear();
  navigate('/', { replace: true });
}

/** The signed-in shell: header (site, user, language, sign-out), navbar by role, and the routed page. */
export function AppLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const route = useRoute();
  const [navbarOpened, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);
  const [passwordOpened, { open: openPassword, close: closePassword }] = useDisclosure(false);
  const org = useQuery(orpc.org.get.queryOptions());

  const visiblePages = PAGES.filter((page) => canAccess(page.access, user.roles));
  const roleNames = user.roles.map((role) => t(`role.${role}`)).join(t('common.listSeparator'));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 180, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={navbarOpened}
              onClick={toggleNavbar}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('header.toggleNavigation')}
            />
            <Title order={1} size="h4" style={{ whiteSpace: 'nowrap' }}>
              {t('app.title')}
            </Title>
            {org.data?.siteName ? (
              <Text c="dimmed" size="sm" truncate visibleFrom="md">
                {org.data.siteName}
              </Text>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Stack gap={0} miw={0} align="flex-end">
              <Text size="sm" fw={500} data-testid="current-user-name" truncate>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed" data-testid="current-user-roles" truncate maw={260}>
                {roleNames}
              </Text>
            </Stack>
            <LanguageSwitch />
            <Button variant="subtle" size="xs" onClick={openPassword}>
              {t('header.changePassword')}
            </Button>
            <Button variant="light" size="xs" onClick={() => void signOut()}>
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('header.navigation')}>
        {visiblePages.map((page) => (
          <NavLink
            key={page.id}
            href={href(page.path)}
            label={t(`nav.${page.id}`)}
            active={route.path === page.path}
            onClick={closeNavbar}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        <RouteView path={route.path} roles={user.roles} />
      </AppShell.Main>

      <ChangePasswordModal opened={passwordOpened} onClose={closePassword} />
    </AppShell>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function RouteView({ path, roles }: { path: string; roles: ReturnType<typeof useCurrentUser>['roles'] }) {
  const { t } = useTranslation();
  if (path === '/') return <Redirect to={DEFAULT_PATH} />;
  const page = findPage(path);
  if (!page) {
    return (
      <Stack align="flex-start">
        <Title order={2}>{t('page.notFound')}</Title>
        <Button component="a" href={href(DEFAULT_PATH)} variant="light">
          {t('page.backHome')}
        </Button>
      </Stack>
    );
  }
  if (!canAccess(page.access, roles)) {
    return (
      <Stack align="flex-start" data-testid="forbidden">
        <Title order={2}>{t('page.forbidden')}</Title>
        <Text c="dimmed">{t('page.forbiddenHint')}</Text>
      </Stack>
    );
  }
  return <page.Page />;
}
