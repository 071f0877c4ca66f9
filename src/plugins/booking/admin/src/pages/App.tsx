import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../api';
import { BoxOfficePage } from './BoxOfficePage';
import { DoorListPage } from './DoorListPage';
import { OverviewPage } from './OverviewPage';
import { ScannerPage } from './ScannerPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.checkIn}>
    <Routes>
      <Route index element={<ScannerPage />} />
      <Route
        path="overview"
        element={
          <Page.Protect permissions={PERMISSIONS.stats}>
            <OverviewPage />
          </Page.Protect>
        }
      />
      <Route
        path="door-list"
        element={
          <Page.Protect permissions={PERMISSIONS.doorList}>
            <DoorListPage />
          </Page.Protect>
        }
      />
      <Route
        path="box-office"
        element={
          <Page.Protect permissions={PERMISSIONS.boxOffice}>
            <BoxOfficePage />
          </Page.Protect>
        }
      />
    </Routes>
  </Page.Protect>
);

export default App;
