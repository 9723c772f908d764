import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Lang } from '../shared/format';
import type {
  CartView,
  Channel,
  ChannelInput,
  PosApi,
  PosResult,
  ReceiptView,
  RecentSaleView,
  ShiftCloseView,
  StaffView,
  SyncStatusView,
  TillInfo,
} from '../shared/pos-api';
import { EMPTY_CART } from '../shared/pos-channels';
import type { Problem } from '../shared/result';
import { apiFromInvoke } from './api/transport';
import { connectionText, Header } from './components/Header';
import { TillStatusDialog } from './components/TillStatusDialog';
import { WorkOfflineDialog } from './components/WorkOfflineDialog';
import { LangProvider, makeTexts } from './i18n/lang-context';
import { CloseShiftScreen } from './screens/CloseShiftScreen';
import { LoginScreen } from './screens/LoginScreen';
import { OpenShiftScreen } from './screens/OpenShiftScreen';
import { ReceiptScreen } from './screens/ReceiptScreen';
import { ReturnsScreen } from './screens/ReturnsScreen';
import { SaleScreen } from './screens/SaleScreen';
import { TenderScreen } from './screens/TenderScreen';
import { ZReportScreen } from './screens/ZReportScreen';
import { useShortcuts } from './use-shortcuts';

type Screen =
  | { kind: 'sale'; firstKey?: string }
  | { kind: 'tender' }
  | { kind: 'receipt'; receipt: ReceiptView }
  | { kind: 'returns'; receiptNo?: string }
  | { kind: 'close' }
  | { kind: 'z'; closed: ShiftCloseView };

export interface AppProps {
  readonly api: PosApi;
  readonly initialLang?: Lang;
  onLangChange?(lang: Lang): void;
  /** How often the header asks the till for its sync state. */
  readonly pollMs?: number;
}

export function App({ api: rawApi, initialLang = 'en', onLangChange, pollMs = 3000 }: AppProps) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [info, setInfo] = useState<TillInfo | null>(null);
  const [startProblem, setStartProblem] = useState<Problem | null>(null);
  const [staff, setStaff] = useState<StaffView | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: 'sale' });
  const [cart, setCart] = useState<CartView>(EMPTY_CART);
  const [sync, setSync] = useState<SyncStatusView | null>(null);
  const [syncProblem, setSyncProblem] = useState<Problem | null>(null);
  const [recent, setRecent] = useState<readonly RecentSaleView[]>([]);
  const [dialog, setDialog] = useState<'status' | 'work-offline' | null>(null);

  // A till restarted or a session ended elsewhere: back to the PIN.
  const api = useMemo(
    () =>
      apiFromInvoke(async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<PosResult<C>> => {
        const call = rawApi[channel] as (i: ChannelInput<C>) => Promise<PosResult<C>>;
        const r = await call(input);
        if (!r.ok && r.error.code === 'not-signed-in') setStaff(null);
        return r;
      }),
    [rawApi],
  );

  const loadInfo = useCallback(async () => {
    const r = await api['till:info']({});
    if (r.ok) {
      setInfo(r.value);
      setStartProblem(null);
    } else setStartProblem(r.error);
    return r.ok ? r.value : null;
  }, [api]);

  const refresh = useCallback(async () => {
    const [s, rs] = await Promise.all([api['sync:status']({}), api['sales:recent']({ limit: 8 })]);
    if (s.ok) setSync(s.value);
    if (rs.ok) setRecent(rs.value);
  }, [api]);

  useEffect(() => {
    void (async () => {
      await loadInfo();
      const me = await api['session:current']({});
      if (me.ok && me.value) setStaff(me.value);
    })();
  }, [api, loadInfo]);

  useEffect(() => {
    if (!staff) return;
    void refresh();
    void api['sale:current']({}).then((r) => r.ok && setCart(r.value));
    const timer = setInterval(() => void refresh(), pollMs);
    return () => clearInterval(timer);
  }, [api, staff, refresh, pollMs]);

  const toggleLang = useCallback(() => {
    setLang((l) => {
      const next = l === 'en' ? 'bn' : 'en';
      onLangChange?.(next);
      return next;
    });
  }, [onLangChange]);

  // Offline, the till answers at once and runs the sync behind the screen;
  // online it answers when the run is over. Either way nothing here waits on
  // the network longer than the branch's timeout.
  const syncNow = useCallback(async () => {
    setSync((s) => (s ? { ...s, running: true } : s));
    const r = await api['sync:now']({});
    setSyncProblem(r.ok ? null : r.error);
    await refresh();
  }, [api, refresh]);

  const workOffline = useCallback(
    (offline: boolean) => {
      // Switching on asks for a manager's PIN first; switching off answers at once.
      if (offline) {
        setDialog('work-offline');
        return;
      }
      setSync((s) => (s ? { ...s, workOffline: false } : s));
      void api['sync:setOffline']({ offline: false }).then((r) => {
        if (r.ok) setSync(r.value);
        else void refresh();
        setSyncProblem(r.ok ? null : r.error);
      });
    },
    [api, refresh],
  );

  useShortcuts({ F1: toggleLang, F7: staff ? () => void syncNow() : undefined });

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const texts = makeTexts(lang);
  let body;
  if (!info) {
    body = (
      <main className="center-screen">
        <p className="card" role={startProblem ? 'alert' : 'status'}>
          {startProblem ? texts.problem(startProblem) : '…'}
        </p>
      </main>
    );
  } else if (!staff) {
    body = (
      <LoginScreen
        api={api}
        info={info}
        onSignedIn={(s) => {
          setStaff(s.staff);
          setScreen({ kind: 'sale' });
          void loadInfo();
        }}
      />
    );
  } else if (screen.kind === 'z') {
    body = (
      <ZReportScreen
        closed={screen.closed}
        onNext={() => {
          setScreen({ kind: 'sale' });
          void loadInfo();
        }}
      />
    );
  } else if (!info.shift) {
    body = <OpenShiftScreen api={api} onOpened={() => void loadInfo().then(() => setScreen({ kind: 'sale' }))} />;
  } else if (screen.kind === 'tender') {
    body = (
      <TenderScreen
        api={api}
        cart={cart}
        onCart={setCart}
        onBack={() => setScreen({ kind: 'sale' })}
        onCompleted={(receipt) => {
          setCart(EMPTY_CART);
          setScreen({ kind: 'receipt', receipt });
          void refresh();
        }}
      />
    );
  } else if (screen.kind === 'receipt') {
    body = (
      <ReceiptScreen
        receipt={screen.receipt}
        onNewSale={(firstKey) => setScreen(firstKey ? { kind: 'sale', firstKey } : { kind: 'sale' })}
      />
    );
  } else if (screen.kind === 'returns') {
    body = (
      <ReturnsScreen
        api={api}
        {...(screen.receiptNo ? { initialReceiptNo: screen.receiptNo } : {})}
        onBack={() => setScreen({ kind: 'sale' })}
        onChanged={() => void refresh()}
      />
    );
  } else if (screen.kind === 'close') {
    body = (
      <CloseShiftScreen
        api={api}
        denominations={info.denominations}
        onBack={() => setScreen({ kind: 'sale' })}
        onClosed={(closed) => {
          setCart(EMPTY_CART);
          setScreen({ kind: 'z', closed });
          void refresh();
        }}
      />
    );
  } else {
    body = (
      <SaleScreen
        api={api}
        cart={cart}
        recent={recent}
        {...(screen.firstKey ? { initialScan: screen.firstKey } : {})}
        onCart={setCart}
        onPay={() => setScreen({ kind: 'tender' })}
        onReturns={(receiptNo) => setScreen(receiptNo ? { kind: 'returns', receiptNo } : { kind: 'returns' })}
        onCloseShift={() => setScreen({ kind: 'close' })}
      />
    );
  }

  return (
    <LangProvider lang={lang}>
      <div className={`app lang-${lang}`}>
        {info && (
          <Header
            info={info}
            staff={staff}
            sync={sync}
            syncProblem={syncProblem}
            onSyncNow={() => void syncNow()}
            onWorkOffline={workOffline}
            onShowStatus={() => setDialog('status')}
            onToggleLang={toggleLang}
            onSignOut={() =>
              void api['session:logout']({}).then(() => {
                setStaff(null);
                setSync(null);
              })
            }
          />
        )}
        {body}
        {staff && dialog === 'work-offline' && (
          <WorkOfflineDialog
            api={api}
            onClose={() => setDialog(null)}
            onDone={(status) => {
              setSync(status);
              setSyncProblem(null);
              setDialog(null);
            }}
          />
        )}
        {staff && dialog === 'status' && sync && (
          <TillStatusDialog
            sync={sync}
            stateText={connectionText(texts.t, sync)}
            now={Date.now()}
            onClose={() => setDialog(null)}
          />
        )}
      </div>
    </LangProvider>
  );
}
